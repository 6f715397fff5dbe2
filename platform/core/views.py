from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.models import Job
from core.ownership import get_owned_or_404


@login_required
def job_detail(request, public_id):
    job = get_owned_or_404(Job, request.user, public_id=public_id)  # 404: never confirm someone else's job
    return render(request, "core/job_detail.html", {"job": job})


@login_required
def job_list(request):
    return render(request, "core/job_list.html", {"jobs": Job.objects.for_user(request.user)[:200]})

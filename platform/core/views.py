from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from core.models import Job


@login_required
def job_detail(request, public_id):
    job = get_object_or_404(Job, public_id=public_id)
    if job.owner_id != request.user.pk and not request.user.is_admin_role:
        raise Http404  # never confirm that someone else's job exists
    return render(request, "core/job_detail.html", {"job": job})


@login_required
def job_list(request):
    jobs = Job.objects.all() if request.user.is_admin_role else Job.objects.filter(owner=request.user)
    return render(request, "core/job_list.html", {"jobs": jobs[:200]})

"""Visual Turing-test reader studies: researchers design them, readers rate images (later issues)."""
from django.shortcuts import render

from accounts.access import role_required
from accounts.roles import READERS, RESEARCHERS
from core.models import Job


@role_required(RESEARCHERS)
def researcher_home(request):
    jobs = Job.objects.filter(owner=request.user)[:10]
    return render(request, "studies/researcher_home.html", {"jobs": jobs})


@role_required(READERS)
def reader_home(request):
    return render(request, "studies/reader_home.html")

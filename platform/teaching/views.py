"""Teaching: trainees practise on case sets; educators author and publish them (later issues)."""
from django.shortcuts import render

from accounts.access import role_required
from accounts.roles import AUTHORS, LEARNERS


@role_required(LEARNERS)
def trainee_home(request):
    cohorts = request.user.cohorts.select_related("educator")
    return render(request, "teaching/trainee_home.html", {"cohorts": cohorts})


@role_required(AUTHORS)
def educator_home(request):
    cohorts = request.user.cohorts_taught.prefetch_related("trainees")
    return render(request, "teaching/educator_home.html", {"cohorts": cohorts})

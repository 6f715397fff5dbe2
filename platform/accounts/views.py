"""Pages every role shares: the home router, invitations, cohorts and the admin overview."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.access import role_required
from accounts.forms import CohortForm, InvitationForm, InvitedSignupForm
from accounts.models import Cohort, Invitation, User
from accounts.navigation import homes
from accounts.roles import ADMINS, AUTHORS, EDITORS, Role
from core.jobs import create_job
from core.ownership import get_managed_or_404
from core.models import Job


def home(request):
    """Send each person to their role's work (a choice of homes for several roles); anonymous
    visitors to the login page."""
    if not request.user.is_authenticated:
        return redirect("login")
    choices = homes(request.user)
    if len(choices) == 1:
        return redirect(choices[0][1])
    return render(request, "accounts/home_choice.html", {"homes": choices})


@role_required(ADMINS)
def admin_home(request):
    if request.method == "POST" and request.POST.get("action") == "self-check":
        from core.tasks import self_check_default, self_check_gpu

        task = self_check_gpu if request.POST.get("queue") == "gpu" else self_check_default
        job = create_job(task=task, owner=request.user, params={"steps": 5, "sleep": 0.2})
        return redirect("core:job-detail", public_id=job.public_id)
    counts = {role.label: User.objects.holding(role).filter(is_active=True).count() for role in Role}
    return render(request, "accounts/admin_home.html", {
        "role_counts": counts, "recent_jobs": Job.objects.select_related("owner")[:20],
    })


@role_required(EDITORS)
def invitation_list(request):
    if request.method == "POST":
        form = InvitationForm(request.POST, inviter=request.user, instance=Invitation(created_by=request.user))
        if form.is_valid():
            invitation = form.save()
            link = request.build_absolute_uri(reverse("accounts:invitation-accept", args=[invitation.token]))
            if invitation.email:
                send_mail("Your RadTuring invitation",
                          f"{request.user.get_full_name() or request.user.username} invites you to RadTuring "
                          f"as {invitation.get_role_display()}.\n\nAccept: {link}\n",
                          None, [invitation.email])
            messages.success(request, f"Invitation created: {link}")
            return redirect("accounts:invitations")
    else:
        form = InvitationForm(inviter=request.user)
    invitations = Invitation.objects.owned_by_user(request.user).select_related("accepted_by")
    return render(request, "accounts/invitations.html", {"form": form, "invitations": invitations})


def invitation_accept(request, token: str):
    """Public link: a new person signs up with the invited role; a signed-in person adds the role to
    the ones they hold (a trainee accepting a reader invitation becomes trainee and reader)."""
    invitation = get_object_or_404(Invitation, token=token)
    if not invitation.is_usable:
        return render(request, "accounts/invitation_unusable.html", {"invitation": invitation}, status=410)
    if request.user.is_authenticated:
        if request.method == "POST":
            invitation.accept(request.user)
            messages.success(request, "Invitation accepted.")
            return redirect("home")
        return render(request, "accounts/invitation_accept.html", {"invitation": invitation})
    form = InvitedSignupForm(request.POST or None, initial={"email": invitation.email})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            invitation.accept(user)
        login(request, user, backend="accounts.backends.RoleAwareBackend")
        return redirect("home")
    return render(request, "accounts/invitation_signup.html", {"invitation": invitation, "form": form})


@role_required(AUTHORS)
def cohort_list(request):
    form = CohortForm(request.POST or None, instance=Cohort(educator=request.user))
    if request.method == "POST" and form.is_valid():
        cohort = form.save()
        messages.success(request, f"Cohort “{cohort.name}” created.")
        return redirect("accounts:cohorts")
    cohorts = Cohort.objects.owned_by_user(request.user).prefetch_related("trainees")
    return render(request, "accounts/cohorts.html", {"form": form, "cohorts": cohorts})


@role_required(AUTHORS)
def cohort_edit(request, pk: int):
    cohort = get_managed_or_404(Cohort, request.user, pk=pk)
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Cohort saved.")
        return redirect("accounts:cohorts")
    return render(request, "accounts/cohort_edit.html", {"form": form, "cohort": cohort})


@login_required
def profile(request):
    return render(request, "accounts/profile.html")

"""The researcher's pages: studies list, design, pool and readers. Thin: rules live in lifecycle,
pool, allocation and power; these pages show their answers and their refusals."""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Invitation
from accounts.roles import RESEARCHERS, Role
from core.models import Job
from core.ownership import get_managed_or_404
from studies.audit import acknowledge, current_audit, opening_problem
from studies.forms import AddSourceForm, MatchedSourceForm, PowerForm, StudyDesignForm, StudyTextsForm
from studies.jobs import start_blinding_audit, start_matched_generation
from studies.lifecycle import StudyRefused, check_allocation, design_is_frozen, save_design, transition
from studies.models import Study, StudyStatus
from studies.pool import add_collection, summarise
from studies.reading import with_progress
from studies.power import PowerError, images_per_class_for_auc_equivalence, images_per_reader_for_accuracy


@role_required(RESEARCHERS)
def researcher_home(request):
    form = StudyTextsForm(request.POST or None, instance=Study(owner=request.user))
    if request.method == "POST" and form.is_valid():
        study = form.save()
        return redirect("studies:design", public_id=study.public_id)
    return render(request, "studies/researcher_home.html", {
        "form": form, "studies": Study.objects.owned_by_user(request.user),
        "jobs": Job.objects.owned_by_user(request.user)[:10],
    })


def _power(data: dict | None) -> tuple[PowerForm, dict]:
    form = PowerForm(data or None)
    if not form.is_bound or not form.is_valid():
        return form, {}
    d = form.cleaned_data
    out = {}
    try:
        out["accuracy"] = images_per_reader_for_accuracy(d["expected_accuracy"], d["readers"], d["rho_reader"],
                                                         d["rho_image"])
    except PowerError as exc:
        out["accuracy_error"] = str(exc)
    try:
        out["auc_per_class"] = images_per_class_for_auc_equivalence(d["margin"], d["readers"],
                                                                    reader_correlation=d["reader_auc_correlation"])
    except PowerError as exc:
        out["auc_error"] = str(exc)
    return form, out


@role_required(RESEARCHERS)
def design(request, public_id):
    study = get_managed_or_404(Study, request.user, public_id=public_id)
    texts = StudyTextsForm(instance=study, prefix="texts")
    design_form = StudyDesignForm(instance=study, prefix="design")
    if request.method == "POST":
        part = request.POST.get("part")
        form_class, prefix = (StudyTextsForm, "texts") if part == "texts" else (StudyDesignForm, "design")
        bound = form_class(request.POST, instance=Study.objects.get(pk=study.pk), prefix=prefix)
        if bound.is_valid():
            try:
                save_design(study, **{name: bound.cleaned_data[name] for name in bound.fields})
                messages.success(request, "Saved.")
                return redirect("studies:design", public_id=study.public_id)
            except StudyRefused as exc:
                bound.add_error(None, str(exc))
        if part == "texts":
            texts = bound
        else:
            design_form = bound
    power_form, power = _power(request.GET if "expected_accuracy" in request.GET else None)
    allocation_problem = None
    try:
        check_allocation(study)
    except StudyRefused as exc:
        allocation_problem = str(exc)
    return render(request, "studies/design.html", {
        "study": study, "texts": texts, "design_form": design_form, "frozen": design_is_frozen(study),
        "audit": current_audit(study), "opening_problem": opening_problem(study),
        "audit_jobs": Job.objects.owned_by_user(request.user).filter(
            kind="studies.blinding_audit", params__study=str(study.public_id))[:1],
        "power_form": power_form, "power": power, "allocation_problem": allocation_problem,
        "next_states": _next_states(study),
    })


def _next_states(study: Study) -> list[tuple[str, str]]:
    from studies.lifecycle import ALLOWED

    labels = {StudyStatus.OPEN: "Open for reading", StudyStatus.PAUSED: "Pause", StudyStatus.CLOSED: "Close"}
    return [(state, labels[state]) for state in (StudyStatus.OPEN, StudyStatus.PAUSED, StudyStatus.CLOSED)
            if state in ALLOWED[study.status]]


@require_POST
@role_required(RESEARCHERS)
def change_state(request, public_id):
    study = get_managed_or_404(Study, request.user, public_id=public_id)
    try:
        study = transition(study, request.POST.get("to", ""))
        messages.success(request, f"The study is {study.get_status_display().lower()}.")
    except StudyRefused as exc:
        messages.error(request, str(exc))
    return redirect("studies:design", public_id=study.public_id)


@role_required(RESEARCHERS)
def pool(request, public_id):
    study = get_managed_or_404(Study, request.user, public_id=public_id)
    form = AddSourceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            add_collection(study, d["collection"], kind=d["kind"], label=d["label"], role=d["role"],
                           generator_name=d["generator_name"], generator_version=d["generator_version"])
            messages.success(request, f"Added “{d['collection'].name}”.")
            return redirect("studies:pool", public_id=study.public_id)
        except StudyRefused as exc:
            form.add_error(None, str(exc))
    return render(request, "studies/pool.html", {
        "study": study, "form": form, "summary": summarise(study),
        "matched_form": MatchedSourceForm(user=request.user),
        "generation_jobs": Job.objects.owned_by_user(request.user).filter(
            kind="studies.generate_matched_source", params__study=str(study.public_id))[:3],
        "sources": study.sources.select_related("collection").order_by("created_at"),
    })


@require_POST
@role_required(RESEARCHERS)
def generate_source(request, public_id):
    study = get_managed_or_404(Study, request.user, public_id=public_id)
    form = MatchedSourceForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            start_matched_generation(request.user, study, form.cleaned_data["gan_model"], form.cleaned_data["seed"])
            messages.success(request, "Generating a matched set; it joins the pool when the job is done.")
        except StudyRefused as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("studies:pool", public_id=study.public_id)


@role_required(RESEARCHERS)
def readers(request, public_id):
    study = get_managed_or_404(Study, request.user, public_id=public_id)
    link = None
    if request.method == "POST":
        invitation = Invitation.objects.create(created_by=request.user, role=Role.READER, target=study,
                                               email=request.POST.get("email", "").strip())
        link = request.build_absolute_uri(reverse("accounts:invitation-accept", args=[invitation.token]))
        messages.success(request, f"Invitation link: {link}")
    rows = with_progress(study.readers.order_by("slot"))
    return render(request, "studies/readers.html", {"study": study, "rows": rows, "link": link})


@require_POST
@role_required(RESEARCHERS)
def audit(request, public_id):
    study = get_managed_or_404(Study, request.user, public_id=public_id)
    start_blinding_audit(request.user, study)
    messages.success(request, "The blinding audit is running; this page shows its answer when it is done.")
    return redirect("studies:design", public_id=study.public_id)


@require_POST
@role_required(RESEARCHERS)
def acknowledge_audit(request, public_id):
    study = get_managed_or_404(Study, request.user, public_id=public_id)
    if current_audit(study) is None:
        messages.error(request, "There is no audit of the current pool to acknowledge.")
    else:
        acknowledge(study)
        messages.success(request, "Acknowledged: the study may open despite the audit's finding.")
    return redirect("studies:design", public_id=study.public_id)

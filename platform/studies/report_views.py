"""The study's report and its files, for the study's owner (and administrators) only.

Anyone else, a reader of the study included, gets 404 (core/ownership.py: never confirm that a
study exists). Thin: the analysis is made by the job (studies/report.py), what the report shows
by studies/report_content.py, the files by studies/exports.py and studies/report_pdf.py.
"""
from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from core.ownership import get_managed_or_404
from studies.exports import ExportRefused, filename, imrmc_text, ratings_csv
from studies.jobs import running_analysis, start_analysis
from studies.models import Study, StudyStatus
from studies.report import latest_analysis
from studies.report_content import banner, report_sections


def _study(request, public_id) -> Study:
    return get_managed_or_404(Study, request.user, public_id=public_id)


def _private(response):
    """Study results are the owner's: no shared cache keeps them, and no cache keeps a stale one."""
    response["Cache-Control"] = "private, no-store"
    return response


def _attachment(body: str | bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return _private(response)


@login_required
@require_safe
def report(request, public_id):
    study = _study(request, public_id)
    analysis = latest_analysis(study)
    return render(request, "studies/report.html", {
        "study": study, "analysis": analysis, "job": running_analysis(study),
        "sections": report_sections(analysis) if analysis else [], "banner": banner(analysis) if analysis else [],
        "closed": study.status == StudyStatus.CLOSED,
    })


@login_required
@require_POST
def run_report(request, public_id):
    study = _study(request, public_id)
    if running_analysis(study) is None:
        start_analysis(request.user, study)
        messages.success(request, "The analysis is running; this page shows the report when it is done.")
    return redirect("studies:report", public_id=study.public_id)


@login_required
@require_safe
def report_plot(request, public_id, name: str):
    analysis = latest_analysis(_study(request, public_id))
    path = analysis.plot_path(name) if analysis else None
    if path is None or not path.is_file():
        raise Http404
    return _private(FileResponse(path.open("rb"), content_type="image/png"))


@login_required
@require_safe
def report_pdf(request, public_id):
    from studies.report_pdf import report_pdf as render_pdf

    study = _study(request, public_id)
    analysis = latest_analysis(study)
    if analysis is None:
        raise Http404("No report yet.")
    return _attachment(render_pdf(analysis), "application/pdf", filename(study, "report.pdf"))


@login_required
@require_safe
def export(request, public_id, kind: str):
    """kind: ratings (radturing CSV), imrmc (iMRMC input file), summary (the analysis result, JSON)."""
    study = _study(request, public_id)
    if kind == "summary":
        analysis = latest_analysis(study)
        if analysis is None:
            raise Http404("No report yet.")
        return _attachment(json.dumps(analysis.result, indent=1), "application/json", filename(study, "analysis.json"))
    try:
        if kind == "imrmc":
            return _attachment(imrmc_text(study), "text/plain; charset=utf-8", filename(study, "ratings.imrmc"))
        return _attachment(ratings_csv(study), "text/csv; charset=utf-8", filename(study, "ratings.csv"))
    except ExportRefused as exc:
        messages.error(request, str(exc))
        return redirect("studies:report", public_id=study.public_id)

"""Making a study's report: its ratings → the analysis → plots → one StudyAnalysis row.

The analysis job (`studies.analyse_study`) and the demo seeding call `run_analysis`; pages show
the newest row (`latest_analysis`). A row made after the study closed is `final`.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from studies.analysis.analyse import analyse
from studies.analysis_table import ratings_table
from studies.models import Study, StudyAnalysis, StudyStatus


class AnalysisRefused(Exception):
    """The study cannot be analysed (yet); str() is the sentence to show."""


def plots_folder(study: Study) -> Path:
    # A fresh folder per run: an older analysis keeps the plots it was shown with.
    return Path(settings.MEDIA_ROOT) / "studies" / str(study.public_id) / "analyses" / uuid.uuid4().hex


def run_analysis(study: Study, job=None, progress: Callable[[float, str], None] | None = None) -> StudyAnalysis:
    from studies.automated_turing import automated_turing_test
    from studies.report_plots import draw_plots

    progress = progress or (lambda percent, message: None)
    final = Study.objects.filter(pk=study.pk, status=StudyStatus.CLOSED).exists()
    table = ratings_table(study)
    if not (table.trial_kind == "main").any():
        raise AnalysisRefused("No reader has rated a main image yet: there is nothing to analyse.")
    progress(20, f"Analysing {len(table)} ratings…")
    result = analyse(table)
    progress(60, "Running the automated Turing test on the same images…")
    automated = automated_turing_test(study)
    progress(80, "Drawing the plots…")
    drawn = draw_plots(result, table, plots_folder(study))
    media = Path(settings.MEDIA_ROOT)
    return StudyAnalysis.objects.create(
        study=study, job=job, result=result, automated=automated, final=final,
        plots={name: str(path.relative_to(media)) for name, path in drawn.items()})


def latest_analysis(study: Study) -> StudyAnalysis | None:
    return study.analyses.first()

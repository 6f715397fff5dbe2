"""Studies jobs on the default queue (the blinding audit, the report's analysis) and the gpu queue
(matched generation). Thin: the work is in studies/audit.py, studies/report.py, studies/matched.py."""
from __future__ import annotations

from core.jobs import JobContext, JobError, job_task
from core.models import Job
from studies.models import Study


def _study_of(job: Job) -> Study:
    study = Study.objects.filter(public_id=job.params["study"]).first()
    if study is None:
        raise JobError("The study no longer exists.")
    return study


@job_task(name="studies.blinding_audit", queue="default", time_limit=3600)
def blinding_audit(job: Job, ctx: JobContext) -> None:
    """Can trivial features of the served files tell the pool's real images from its synthetic ones?"""
    from studies.audit import run_audit

    study = _study_of(job)
    ctx.progress(5, "Reading the served images…")
    try:
        audit = run_audit(study, job=job)
    except ValueError as exc:
        raise JobError(str(exc)) from None
    r = audit.result
    ctx.progress(100, f"AUC {r['auc']:.2f} (95% CI {r['low']:.2f}–{r['high']:.2f})"
                      + (": flagged" if audit.flagged else ": no leak found"))
    ctx.set_result(study, **r)


@job_task(name="studies.generate_matched_source", queue="gpu", time_limit=6 * 3600)
def generate_matched_source(job: Job, ctx: JobContext) -> None:
    """Draw one image per real pool image from a registered model, under that image's condition."""
    from generation.models import GanModel
    from studies.lifecycle import StudyRefused
    from studies.matched import generate_matched_source as generate

    study = Study.objects.filter(public_id=job.params["study"]).first()
    model = GanModel.objects.for_user(job.owner).filter(public_id=job.params["gan_model"]).first()
    if study is None or model is None:
        raise JobError("The study or the model no longer exists.")
    ctx.progress(5, f"Generating from {model}…")
    try:
        source = generate(study, model, job.owner, seed=int(job.params.get("seed", 0)))
    except StudyRefused as exc:
        raise JobError(str(exc)) from None
    ctx.progress(100, f"{source.pool_images.count()} images added to the pool")
    ctx.set_result(source.collection, study=str(study.public_id), images=source.pool_images.count())


@job_task(name="studies.analyse_study", queue="default", time_limit=1800)
def analyse_study(job: Job, ctx: JobContext) -> None:
    """The study's report: its ratings through the analysis, the automated test and the plots."""
    from studies.report import AnalysisRefused, run_analysis

    study = _study_of(job)
    ctx.progress(5, "Reading the ratings…")
    try:
        analysis = run_analysis(study, job=job, progress=ctx.progress)
    except (AnalysisRefused, ValueError) as exc:
        raise JobError(str(exc)) from None
    ctx.progress(100, "Report ready" + (" (final)" if analysis.final else ""))
    ctx.set_result(study, analysis=analysis.pk, final=analysis.final)

"""Studies jobs: the blinding audit, on the default queue. Thin: the work is in studies/audit.py."""
from __future__ import annotations

from core.jobs import JobContext, JobError, job_task
from core.models import Job
from studies.models import Study


@job_task(name="studies.blinding_audit", queue="default", time_limit=3600)
def blinding_audit(job: Job, ctx: JobContext) -> None:
    """Can trivial features of the served files tell the pool's real images from its synthetic ones?"""
    from studies.audit import run_audit

    study = Study.objects.filter(public_id=job.params["study"]).first()
    if study is None:
        raise JobError("The study no longer exists.")
    ctx.progress(5, "Reading the served images…")
    try:
        audit = run_audit(study, job=job)
    except ValueError as exc:
        raise JobError(str(exc)) from None
    r = audit.result
    ctx.progress(100, f"AUC {r['auc']:.2f} (95% CI {r['low']:.2f}–{r['high']:.2f})"
                      + (": flagged" if audit.flagged else ": no leak found"))
    ctx.set_result(study, **r)

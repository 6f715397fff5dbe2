"""Starting studies jobs (pages and API call these)."""
from __future__ import annotations

from django.db import transaction

from core.jobs import create_job
from studies.models import Study


def start_blinding_audit(user, study: Study):
    from studies.tasks import blinding_audit

    with transaction.atomic():
        return create_job(task=blinding_audit, owner=user, params={"study": str(study.public_id)})


def start_matched_generation(user, study: Study, gan_model, seed: int):
    """Refused at once (StudyRefused) when the pool cannot take images now, so no job is wasted."""
    from studies.lifecycle import check_design_editable
    from studies.matched import matched_conditions
    from studies.tasks import generate_matched_source

    check_design_editable(study)
    matched_conditions(study, list(gan_model.finding_classes))
    with transaction.atomic():
        return create_job(task=generate_matched_source, owner=user,
                          params={"study": str(study.public_id), "gan_model": str(gan_model.public_id), "seed": seed})


def start_analysis(user, study: Study):
    """The report's analysis job: from the report page's button, and when the study closes."""
    from studies.tasks import analyse_study

    with transaction.atomic():
        return create_job(task=analyse_study, owner=user, params={"study": str(study.public_id)})


def running_analysis(study: Study):
    """The newest analysis job of `study` still queued or running, for the page to follow; else None."""
    from core.models import Job, JobStatus
    from studies.tasks import analyse_study

    return (Job.objects.filter(kind=analyse_study.name, params__study=str(study.public_id),
                               status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).order_by("-created_at").first())

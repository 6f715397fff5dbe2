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

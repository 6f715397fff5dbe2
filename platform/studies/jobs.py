"""Starting studies jobs (pages and API call these)."""
from __future__ import annotations

from django.db import transaction

from core.jobs import create_job
from studies.models import Study


def start_blinding_audit(user, study: Study):
    from studies.tasks import blinding_audit

    with transaction.atomic():
        return create_job(task=blinding_audit, owner=user, params={"study": str(study.public_id)})

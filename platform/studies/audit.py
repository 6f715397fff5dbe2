"""Running the blinding audit on a study, and what opening requires of it.

The audit reads exactly what readers get (studies.reading.reencoded_master), so it audits the
serving path, not the files on disk. An audit holds for the pool it saw (`pool_fingerprint`):
adding an image makes it stale. Opening needs a current audit; a flagged one needs the
researcher's acknowledgement (`Study.blinding_acknowledged_at`), which a new audit clears.
"""
from __future__ import annotations

import hashlib

from django.utils import timezone

from studies.blinding import audit
from studies.models import BlindingAudit, PoolImage, PoolRole, Study
from studies.reading import reencoded_master


def pool_fingerprint(study: Study) -> str:
    keys = PoolImage.objects.filter(study=study).order_by("pk").values_list("pk", "image_id", "truth", "role")
    return hashlib.sha256(repr(list(keys)).encode()).hexdigest()


def run_audit(study: Study, job=None) -> BlindingAudit:
    pool = PoolImage.objects.filter(study=study, role=PoolRole.MAIN).select_related("image").order_by("pk")
    files = [(reencoded_master(p), p.truth == "synthetic") for p in pool]
    result = audit(files, seed=study.seed)
    Study.objects.filter(pk=study.pk).update(blinding_acknowledged_at=None)
    return BlindingAudit.objects.create(study=study, pool_fingerprint=pool_fingerprint(study),
                                        result=result.to_dict(), job=job)


def current_audit(study: Study) -> BlindingAudit | None:
    latest = study.blinding_audits.first()
    return latest if latest is not None and latest.pool_fingerprint == pool_fingerprint(study) else None


def acknowledge(study: Study) -> None:
    Study.objects.filter(pk=study.pk).update(blinding_acknowledged_at=timezone.now())


def opening_problem(study: Study) -> str | None:
    """Why the audit does not let the study open yet, in one sentence; None when it does."""
    latest = current_audit(study)
    if latest is None:
        return "Run the blinding audit on the current pool before opening."
    if latest.flagged and study.blinding_acknowledged_at is None:
        r = latest.result
        leaks = ", ".join(leak["feature"] for leak in r.get("leaks", [])) or "a combination of features"
        return (f"The blinding audit tells real from synthetic by file features alone (AUC {r['auc']:.2f}, "
                f"95% CI {r['low']:.2f}–{r['high']:.2f}; {leaks}). Acknowledge it before opening.")
    return None

"""Opening needs a current blinding audit of what readers will be served; a flag needs the
researcher's acknowledgement; the audit runs as a job through a real worker."""
import numpy as np
import pytest

from imaging.models import CollectionKind, ImageCollection
from imaging.store import create_image
from studies.audit import acknowledge, current_audit, run_audit
from studies.lifecycle import StudyRefused, transition
from studies.models import BlindingAudit, Study, StudyStatus
from studies.pool import add_collection
from tests.core.waiting import wait_for
from tests.studies.conftest import make_collection

pytestmark = pytest.mark.django_db


def _noise_collection(owner, n=10):
    """'Synthetic' images a trivial feature can tell apart: no body, only noise."""
    collection = ImageCollection.objects.create(owner=owner, name="Noise", kind=CollectionKind.SYNTHETIC)
    rng = np.random.default_rng(0)
    for _ in range(n):
        create_image(owner=owner, pixels=rng.normal(-200, 400, (32, 32)), is_hu=True, modality="CT",
                     origin="synthetic", collection=collection, pixel_spacing_mm=1.0)
    return collection


def test_a_study_does_not_open_without_an_audit_of_its_current_pool(draft_study, researcher):
    with pytest.raises(StudyRefused, match="Run the blinding audit"):
        transition(draft_study, StudyStatus.OPEN)
    audit = run_audit(draft_study)
    assert not audit.flagged, audit.result
    add_collection(draft_study, make_collection(researcher, "Late", "real", 1, seed=77), kind="real")
    assert current_audit(draft_study) is None  # the pool changed: the audit no longer holds
    with pytest.raises(StudyRefused, match="Run the blinding audit"):
        transition(draft_study, StudyStatus.OPEN)
    run_audit(draft_study)
    assert transition(draft_study, StudyStatus.OPEN).status == StudyStatus.OPEN


def test_a_flagged_pool_opens_only_once_the_researcher_acknowledges(researcher):
    study = Study.objects.create(owner=researcher, title="Leaky")
    add_collection(study, make_collection(researcher, "Real", "real", 10), kind="real")
    add_collection(study, _noise_collection(researcher), kind="external", generator_name="Noise 1.0")
    audit = run_audit(study)
    assert audit.flagged and audit.result["low"] > 0.5 and audit.result["leaks"]
    with pytest.raises(StudyRefused, match="Acknowledge it before opening"):
        transition(study, StudyStatus.OPEN)
    acknowledge(study)
    assert transition(study, StudyStatus.OPEN).status == StudyStatus.OPEN


@pytest.mark.django_db(transaction=True)
def test_the_audit_runs_as_a_job_on_a_real_worker(celery_worker, draft_study):
    from studies.jobs import start_blinding_audit

    job = wait_for(start_blinding_audit(draft_study.owner, draft_study))
    assert job.status == "succeeded", job.error
    audit = BlindingAudit.objects.get(study=draft_study)
    assert audit.job_id == job.pk and job.result_data["auc"] == audit.result["auc"]
    assert current_audit(draft_study) == audit

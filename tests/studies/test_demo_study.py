"""`seed_demo` seeds an open reader study: real example-CT slices against the demo model's images
under the same conditions, the demo reader a member, three simulated readers who rated everything."""
import io

import pytest
from django.core.management import call_command

from studies.demo import DEMO_STUDY_TITLE, N_PER_SIDE, SIMULATED_READERS
from studies.models import PoolImage, Rating, Study, StudyStatus

pytestmark = pytest.mark.django_db


def test_the_demo_study_is_seeded_once_with_matched_content_and_labelled_simulated_readers():
    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=out)
    call_command("seed_demo", "--force", stdout=io.StringIO())
    study = Study.objects.get(title=DEMO_STUDY_TITLE)
    assert Study.objects.count() == 1 and study.status == StudyStatus.OPEN
    pool = PoolImage.objects.filter(study=study)
    assert pool.filter(truth="real").count() == pool.filter(truth="synthetic").count() == N_PER_SIDE
    real = sorted(p.finding for p in pool.filter(truth="real"))
    assert real == sorted(p.finding for p in pool.filter(truth="synthetic")) and set(real) - {""}
    readers = study.readers.select_related("user")
    assert sorted(r.user.username for r in readers if not r.simulated) == ["reader"]
    simulated = [r for r in readers if r.simulated]
    assert len(simulated) == SIMULATED_READERS and not any(r.user.is_active for r in simulated)
    assert Rating.objects.filter(trial__reader__in=simulated).count() == SIMULATED_READERS * 2 * N_PER_SIDE
    assert study.blinding_audits.exists() and "simulated ratings" in out.getvalue()

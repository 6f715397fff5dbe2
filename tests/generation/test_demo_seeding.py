"""`seed_demo` registers the shipped demo checkpoint and queues cases from it for the demo
educator and researcher (and an evaluation for the researcher), which a real worker then makes;
seeding again queues nothing more."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from core.models import Job, JobStatus
from generation.models import GanModel, PatientCase
from generation.seeding import DEMO_GENERATIONS, DEMO_NAME
from imaging.models import Image, ImageSeries, Origin
from studies.demo import N_PER_SIDE
from tests.core.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_demo_registers_the_shipped_model_and_its_cases_are_made_once(celery_worker):
    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=out)
    call_command("seed_demo", "--force", stdout=io.StringIO())

    model = GanModel.objects.get(name=DEMO_NAME)
    assert model.resolution == 64 and "solid_nodule" in model.finding_classes
    preview = GanModel.objects.get(name="radturing-chest-128-preview")
    assert preview.resolution == 128 and preview.created_by is None  # shipped, seen by everyone
    assert GanModel.objects.count() == 2, "seeding twice must not register the models twice"
    jobs = list(Job.objects.filter(kind="generation.generate"))
    assert len(jobs) == 2 * len(DEMO_GENERATIONS), "seeding twice must not queue the cases twice"
    assert {job.owner.username for job in jobs} == {"educator", "researcher"}
    assert "Queued 9 demo jobs" in out.getvalue()
    evaluation_job = Job.objects.get(kind="generation.evaluate")
    assert evaluation_job.owner.username == "researcher"

    for job in [*jobs, evaluation_job]:
        assert wait_for(job, timeout=300).status == JobStatus.SUCCEEDED, job.error
    model.refresh_from_db()
    assert model.metrics["fid"]["n_real"] == 64 and model.metrics["fid"]["ci_low"] <= model.metrics["fid"]["value"]
    per_user_images = 8 + 8 + 6 + 6  # two image sets, a 6-step series, 6 patient cases
    for username in ("educator", "researcher"):
        # The images the generation jobs made (the researcher also owns the demo reader study's
        # matched set, made in-process and counted in tests/studies/test_demo_study.py).
        mine = Image.objects.filter(owner__username=username, origin=Origin.SYNTHETIC, provenance__has_key="job")
        assert mine.count() == per_user_images
        assert Image.objects.filter(owner__username=username, origin=Origin.SYNTHETIC).count() == (
            per_user_images + (N_PER_SIDE if username == "researcher" else 0))
        assert ImageSeries.objects.filter(owner__username=username).count() == 1
        assert PatientCase.objects.filter(owner__username=username).count() == 6
        # Nodules the demo model would have drawn outside its patient's lung were moved into the
        # same lung, and the provenance says where they were asked for.
        for image in mine.filter(provenance__output="images"):
            asked, drawn = image.provenance.get("placement"), image.provenance["conditions"][0]
            if asked:
                assert (asked["requested"]["x"] < 0.5) == (drawn["x"] < 0.5)
                assert (asked["requested"]["x"], asked["requested"]["y"]) != (drawn["x"], drawn["y"])
    moved = Image.objects.filter(provenance__has_key="placement").count()
    assert moved > 0, "a 64 px model puts some nodules outside the lung at a fixed position"

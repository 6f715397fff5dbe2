"""A matched synthetic source made here: one image per real image, under its condition, through a
real worker; refused at once when it cannot be made."""
import pytest
from django.urls import reverse

from generation.seeding import register_demo_model
from studies.models import PoolImage, SourceKind, Study
from studies.pool import add_collection
from tests.core.waiting import wait_for
from tests.studies.conftest import make_collection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_model(db):
    return register_demo_model()


def test_the_pool_page_generates_a_set_matched_to_the_real_images(celery_worker, client, researcher, demo_model):
    from core.models import Job

    study = Study.objects.create(owner=researcher, title="Matched", seed=3)
    add_collection(study, make_collection(researcher, "Real", "real", 6), kind="real")
    client.force_login(researcher)
    page = client.post(reverse("studies:generate-source", args=[study.public_id]),
                       {"gan_model": str(demo_model.public_id), "seed": "11"}, follow=True)
    assert b"Generating a matched set" in page.content
    job = wait_for(Job.objects.get(kind="studies.generate_matched_source"), timeout=300)
    assert job.status == "succeeded", job.error
    source = study.sources.get(kind=SourceKind.PLATFORM_MODEL)
    assert source.gan_model == demo_model and source.generation_params["seed"] == 11
    synthetic = PoolImage.objects.filter(study=study, truth="synthetic")
    assert synthetic.count() == 6 and set(synthetic.values_list("finding", flat=True)) == {"normal"}
    assert all(p.image.origin == "synthetic" for p in synthetic.select_related("image"))


def test_without_real_images_nothing_is_queued(client, researcher, demo_model):
    from core.models import Job

    study = Study.objects.create(owner=researcher, title="Empty")
    client.force_login(researcher)
    page = client.post(reverse("studies:generate-source", args=[study.public_id]),
                       {"gan_model": str(demo_model.public_id), "seed": "0"}, follow=True)
    assert "Add the real images first".encode() in page.content
    assert not Job.objects.filter(kind="studies.generate_matched_source").exists()

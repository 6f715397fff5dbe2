"""Two doors, one function: a training, generation or evaluation request sent to the page (its form)
and to the API ends in the same spec. The same bad input gets the same sentence on the same field
through both, and creates no job; the same good input creates the same job through both."""
from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import Job
from generation.models import GanModel
from generation.specs import NO_SUCH_MODEL, NOT_A_TRAINING_COLLECTION
from imaging.models import CollectionKind, ImageCollection

pytestmark = pytest.mark.django_db


@pytest.fixture
def model(alice) -> GanModel:
    """alice's registered model (no checkpoint on disk: no job runs here)."""
    return GanModel.objects.create(name="doors", resolution=64, checkpoint_path="none", checkpoint_sha256="0" * 64,
                                   finding_classes=["normal", "solid_nodule"], created_by=alice)


def _page(client, user, url: str, data: dict) -> dict[str, list[str]]:
    """POST the form as a browser does (every value a string); its errors by field ("__all__": none)."""
    client.force_login(user)
    response = client.post(url, {k: "" if v is None else str(v) for k, v in data.items()})
    assert response.status_code == 200, "a refused form is shown again"
    return {field: list(errors) for field, errors in response.context["form"].errors.items()}


def _api(client, user, url: str, data: dict) -> dict[str, list[str]]:
    client.force_login(user)
    response = client.post(url, data, content_type="application/json")
    assert response.status_code == 400, response.content
    return response.json()


def _same_answer(page: dict, api: dict, field: str, sentence: str, form_fields) -> None:
    assert api == {field: [sentence]}
    assert page == {field if field in form_fields else "__all__": [sentence]}


TRAINING_CASES = {
    "no name": ({"name": ""}, "name", "Give the model a name."),
    "a name with a slash": ({"name": "a/b"}, "name",
                            "A name holds up to 100 letters, digits, spaces, dots, dashes and underscores."),
    "no steps": ({"steps": 0}, "steps", "steps must lie in 1..1000000, got 0"),
    "too many steps": ({"steps": 1_000_001}, "steps", "steps must lie in 1..1000000, got 1000001"),
    "steps in words": ({"steps": "ten"}, "steps", "steps must be a whole number, got 'ten'"),
    "an unknown recipe": ({"recipe": "huge"}, "recipe",
                          "recipe must be one of quick-64, standard-128, smoke, got 'huge'"),
    "an unknown source": ({"source": "internet"}, "source",
                          "source must be one of example_ct, collection, got 'internet'"),
    "a collection source without a collection": ({"source": "collection"}, "collection",
                                                 NOT_A_TRAINING_COLLECTION),
}


@pytest.mark.parametrize("bad", TRAINING_CASES.values(), ids=TRAINING_CASES.keys())
def test_training_doors_give_the_same_sentence(client, alice, bad):
    from generation.forms import TrainForm

    changes, field, sentence = bad
    data = {"name": "doors", "recipe": "smoke", "source": "example_ct", **changes}
    page = _page(client, alice, reverse("generation:train"), data)
    api = _api(client, alice, reverse("api:training-job-list"), data)
    _same_answer(page, api, field, sentence, TrainForm.base_fields)
    assert not Job.objects.exists()


@pytest.mark.parametrize("whose", ["someone else's", "a synthetic"])
def test_training_doors_refuse_a_collection_that_may_not_train_a_model(client, alice, charlie, whose):
    from generation.forms import TrainForm

    collection = (ImageCollection.objects.create(owner=charlie, name="charlie's scans") if whose == "someone else's"
                  else ImageCollection.objects.create(owner=alice, name="fakes", kind=CollectionKind.SYNTHETIC))
    data = {"name": "doors", "recipe": "smoke", "source": "collection", "collection": str(collection.public_id)}
    page = _page(client, alice, reverse("generation:train"), data)
    api = _api(client, alice, reverse("api:training-job-list"), data)
    _same_answer(page, api, "collection", NOT_A_TRAINING_COLLECTION, TrainForm.base_fields)
    assert not Job.objects.exists()


GENERATION_CASES = {
    "no images": ({"n": 0}, "n", "n must lie in 1..256, got 0"),
    "too many images": ({"n": 257}, "n", "n must lie in 1..256, got 257"),
    "a negative seed": ({"seed": -1}, "seed", "seed must lie in 0..2147483647, got -1"),
    "half an image": ({"n": "2.5"}, "n", "n must be a whole number, got '2.5'"),
    "severity above 1": ({"severity": 1.5}, "severity", "severity must lie in [0, 1], got 1.5"),
    "x left of the image": ({"x": -0.1}, "x", "x must lie in [0, 1], got -0.1"),
    "severity in words": ({"severity": "big"}, "severity", "severity must be a number, got 'big'"),
    "an unknown finding": ({"finding": "fracture"}, "finding", "unknown finding 'fracture'; expected one of "
                                                              "normal, solid_nodule, part_solid_nodule, "
                                                              "ground_glass_nodule"),
    "a finding the model never learnt": ({"finding": "ground_glass_nodule"}, "finding",
                                         "the model doors v1 cannot make 'ground_glass_nodule'; it knows "
                                         "normal, solid_nodule"),
    "a one-step progression": ({"output": "progression", "steps": 1}, "steps", "steps must lie in 2..24, got 1"),
    "a normal progression": ({"output": "progression", "finding": "normal"}, "finding",
                             "a progression needs a nodule: choose a finding other than normal"),
    "an unknown output": ({"output": "movie"}, "output",
                          "output must be one of images, progression, patient_cases, got 'movie'"),
    "an unknown placement": ({"placement": "anywhere"}, "placement",
                             "placement must be one of lung, exact, got 'anywhere'"),
}


@pytest.mark.parametrize("bad", GENERATION_CASES.values(), ids=GENERATION_CASES.keys())
def test_generation_doors_give_the_same_sentence(client, alice, model, bad):
    from generation.forms import GenerateForm

    changes, field, sentence = bad
    data = {"output": "images", "n": 2, "finding": "solid_nodule", **changes}
    page = _page(client, alice, reverse("generation:generate", args=[model.public_id]), data)
    api = _api(client, alice, reverse("api:generation-job-list"), {"gan_model": str(model.public_id), **data})
    _same_answer(page, api, field, sentence, GenerateForm.base_fields)
    assert not Job.objects.exists()


EVALUATION_CASES = {
    "too few real images": ({"n_real": 3}, "n_real", "n_real must lie in 4..2000, got 3"),
    "too many synthetic images": ({"n_fake": 2001}, "n_fake", "n_fake must lie in 4..2000, got 2001"),
    "a seed in words": ({"seed": "lucky"}, "seed", "seed must be a whole number, got 'lucky'"),
}


@pytest.mark.parametrize("bad", EVALUATION_CASES.values(), ids=EVALUATION_CASES.keys())
def test_evaluation_doors_give_the_same_sentence(client, alice, model, bad):
    from generation.forms import EvaluateForm

    changes, field, sentence = bad
    page = _page(client, alice, reverse("generation:evaluate", args=[model.public_id]), changes)
    api = _api(client, alice, reverse("api:evaluation-job-list"), {"gan_model": str(model.public_id), **changes})
    _same_answer(page, api, field, sentence, EvaluateForm.base_fields)
    assert not Job.objects.exists()


@pytest.mark.parametrize("door", ["generate", "evaluate"])
@pytest.mark.parametrize("which", ["an unknown", "someone else's private"])
def test_a_model_one_may_not_see_is_not_found_through_either_door(client, alice, charlie, model, door, which):
    """The page names the model in its URL, so it answers 404; the API names it in the body: 400
    with the spec's sentence. Neither says whether the model exists."""
    public_id = model.public_id if which == "someone else's private" else "00000000-0000-4000-8000-000000000000"
    client.force_login(charlie)
    assert client.post(reverse(f"generation:{door}", args=[public_id]), {"n": "2"}).status_code == 404
    url = reverse("api:generation-job-list" if door == "generate" else "api:evaluation-job-list")
    assert _api(client, charlie, url, {"gan_model": str(public_id)}) == {"gan_model": [NO_SUCH_MODEL]}
    assert not Job.objects.exists()


def test_the_same_good_request_makes_the_same_job_through_either_door(client, alice, model, ct_collection):
    def both(page_url: str, api_url: str, data: dict, api_extra: dict) -> list[Job]:
        client.force_login(alice)
        assert client.post(page_url, {k: str(v) for k, v in data.items()}).status_code == 302
        assert client.post(api_url, {**data, **api_extra}, content_type="application/json").status_code == 202
        return list(Job.objects.order_by("created_at"))[-2:]

    training = both(reverse("generation:train"), reverse("api:training-job-list"),
                    {"name": "doors", "recipe": "smoke", "steps": 5, "source": "collection",
                     "collection": ct_collection.public_id}, {})
    generation = both(reverse("generation:generate", args=[model.public_id]), reverse("api:generation-job-list"),
                      {"output": "progression", "seed": 3, "steps": 4, "finding": "solid_nodule", "severity": 0.25},
                      {"gan_model": str(model.public_id)})
    evaluation = both(reverse("generation:evaluate", args=[model.public_id]), reverse("api:evaluation-job-list"),
                      {"n_real": 8, "n_fake": 12, "seed": 4}, {"gan_model": str(model.public_id)})
    for page_job, api_job in (training, generation, evaluation):
        assert page_job.pk != api_job.pk and page_job.kind == api_job.kind
        assert page_job.params == api_job.params
    assert training[0].params["collection"] == str(ct_collection.public_id)
    assert training[0].params["config"]["steps"] == 5
    assert generation[0].params["gan_model"] == str(model.public_id) and generation[0].params["output"] == "progression"
    assert evaluation[0].params["n_fake"] == 12


@pytest.mark.parametrize("spec_name, schema_name", [("TrainingSpec", "TrainingJob"),
                                                     ("GenerationSpec", "GenerationJob"),
                                                     ("EvaluationSpec", "EvaluationJob")])
def test_the_api_asks_for_every_field_of_the_spec_typed_from_it(client, alice, spec_name, schema_name):
    """The API's request is the spec's fields, not a second list kept by hand: a field added to the
    spec appears in the OpenAPI document with the type its annotation gives (a row by its uuid)."""
    from dataclasses import fields

    from generation import specs

    client.force_login(alice)
    document = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    properties = document["components"]["schemas"][schema_name]["properties"]
    asked = [spec_field.name for spec_field in fields(getattr(specs, spec_name)) if spec_field.metadata != specs.DERIVED]
    assert list(properties) == asked and "config" not in properties
    expected = {"gan_model": "uuid", "collection": "uuid", "n": "integer", "seed": "integer", "severity": "number",
                "n_bootstrap": "integer", "truncation": "number", "description": "string"}
    for name, kind in expected.items():
        if name in properties:
            described = properties[name]
            assert kind in (described.get("type"), described.get("format")), (name, described)

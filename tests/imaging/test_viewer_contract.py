"""The blinded viewer contract from both doors: GET /api/images/<token>/ (the serializer) and the
image detail page (the viewer's config) list the same series members and the same blinded fields,
and neither carries ground truth, provenance or identifiers (imaging/viewer.py)."""
from __future__ import annotations

import json

import pytest
from django.db.models import Q
from django.urls import reverse

from imaging.models import ImageCollection, ImageSeries
from imaging.store import create_image
from imaging.viewer import BLINDED_FIELDS
from tests.imaging.factories import synthetic_ct
from tests.imaging.files import PLANTED

pytestmark = pytest.mark.django_db

SECRET_COLLECTION = "Planted collection name 5531"
PROVENANCE = {"model": "planted-model-7781", "version": 3, "seed": 918273, "conditions": {"finding": "solid_nodule"}}


def _image(owner, series=None, position=0, origin="synthetic", **kwargs):
    return create_image(owner=owner, pixels=synthetic_ct(position), is_hu=True, modality="CT", origin=origin,
                        series=series, position=position, pixel_spacing_mm=0.7, **kwargs)


@pytest.fixture
def mixed_series(alice, charlie):
    """alice's series: a real image with a de-identified header, synthetic ones with provenance, in a
    collection, plus one of charlie's images filed in it (alice may not see that one)."""
    collection = ImageCollection.objects.create(owner=alice, name=SECRET_COLLECTION)
    series = ImageSeries.objects.create(owner=alice, collection=collection)
    images = [_image(alice, series, 0, origin="real", collection=collection,
                     source_header={"00100010": {"vr": "PN", "Value": [{"Alphabetic": PLANTED["name"]}]}})]
    images += [_image(alice, series, i, provenance=PROVENANCE, collection=collection) for i in (1, 2, 3)]
    images.append(_image(charlie, series, 4, provenance=PROVENANCE))
    return images


def both_doors(client, image) -> tuple[dict, dict]:
    """(the API's image detail, the detail page's viewer config) for `image`."""
    api = client.get(f"/api/images/{image.token}/")
    page = client.get(reverse("imaging:detail", kwargs={"token": image.token}))
    assert api.status_code == page.status_code == 200
    return api.json(), page.context["viewer_config"]


def test_the_api_and_the_page_give_the_owner_the_same_series_members(client, alice, mixed_series):
    client.force_login(alice)
    api, config = both_doors(client, mixed_series[2])
    mine = [i.token for i in mixed_series[:4]]  # charlie's image is left out by both doors
    assert api["series"]["tokens"] == [m["token"] for m in config["images"]] == mine
    assert api["series"]["index"] == config["index"] == 2 and api["series"]["count"] == len(config["images"]) == 4


def test_the_api_and_the_page_give_a_granted_reader_only_the_granted_members(client, bob, mixed_series, view_grant):
    granted = [mixed_series[1], mixed_series[3]]
    view_grant(lambda user: Q(pk__in=[i.pk for i in granted]) if user.pk == bob.pk else Q())
    client.force_login(bob)
    api, config = both_doors(client, mixed_series[3])
    assert api["series"]["tokens"] == [m["token"] for m in config["images"]] == [i.token for i in granted]
    assert api["series"]["index"] == config["index"] == 1
    assert client.get(f"/api/images/{mixed_series[0].token}/").status_code == 404
    assert client.get(reverse("imaging:detail", kwargs={"token": mixed_series[0].token})).status_code == 404


def test_an_image_in_no_series_is_its_own_one_image_series_through_both_doors(client, alice):
    image = _image(alice)
    client.force_login(alice)
    api, config = both_doors(client, image)
    assert api["series"] is None
    assert [m["token"] for m in config["images"]] == [image.token] and config["index"] == 0


def test_both_doors_give_exactly_the_blinded_fields_with_the_same_values(client, alice, mixed_series):
    from imaging.api import ImageDetailSerializer

    client.force_login(alice)
    for image in mixed_series[:4]:
        api, config = both_doors(client, image)
        assert set(api) == set(BLINDED_FIELDS) | {"urls", "series"} == set(ImageDetailSerializer().fields)
        for member in config["images"]:
            assert set(member) == {"masterUrl", "token", "meta"} and set(member["meta"]) == set(BLINDED_FIELDS)
        shown = next(m for m in config["images"] if m["token"] == image.token)
        assert shown["meta"] == {k: api[k] for k in BLINDED_FIELDS}
        assert shown["masterUrl"] == api["urls"]["master"]


def test_neither_door_carries_ground_truth_provenance_or_identifiers(client, alice, bob, mixed_series, view_grant):
    view_grant(lambda user: Q(series_id=mixed_series[0].series_id) if user.pk == bob.pk else Q())
    forbidden = ["origin", "synthetic", "real", "provenance", "seed", "planted-model", "918273", "solid_nodule",
                 "conditions", "finding", SECRET_COLLECTION, "collection", PLANTED["name"], "source_header",
                 "owner", "alice", "charlie", "ingest"]
    for user in (alice, bob):  # the owner receives the same blinded contract; facts are a separate panel
        client.force_login(user)
        for image in mixed_series[:4]:
            api, config = both_doors(client, image)
            text = json.dumps(api) + json.dumps(config)
            for other in mixed_series + [mixed_series[0].series]:
                text = text.replace(other.token, "<token>")  # a random token may happen to spell a word
            for word in forbidden:
                assert word.lower() not in text.lower(), (user.username, word)

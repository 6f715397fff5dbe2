"""create_image -> the one rendition pipeline -> blinded, permission-checked, cacheable serving."""
from __future__ import annotations

import io

import numpy as np
import pytest
from django.urls import reverse
from PIL import Image as PILImage

from imaging.models import Image, ImageSeries
from imaging.renditions import CANONICAL_SIZE, THUMB_SIZE, png_chunks
from imaging.store import create_image
from tests.imaging.factories import synthetic_ct

pytestmark = pytest.mark.django_db


def _synthetic(owner, seed=0, **kwargs) -> Image:
    return create_image(owner=owner, pixels=synthetic_ct(seed), is_hu=True, modality="CT", origin="synthetic",
                        provenance={"model": "tiny", "version": 1, "seed": seed}, pixel_spacing_mm=0.8, **kwargs)


def test_it_stores_a_synthetic_image_as_a_16_bit_master_plus_8_bit_renditions(alice):
    image = _synthetic(alice)
    master = PILImage.open(image.master.open("rb"))
    assert master.mode == "I;16" and master.size == (CANONICAL_SIZE, CANONICAL_SIZE)
    values = np.asarray(master)
    # HU + 1024: a water disc (40 HU) in air (-1000 HU)
    assert abs(values[236:276, 236:276].mean() - (40 + 1024)) < 10
    assert abs(values[:40, :40].mean() - (-1000 + 1024)) < 10
    assert PILImage.open(image.display.open("rb")).mode == "L"
    assert PILImage.open(image.thumb.open("rb")).size == (THUMB_SIZE, THUMB_SIZE)
    assert image.pixel_spacing_mm == pytest.approx(0.8 * 64 / CANONICAL_SIZE)
    assert {p["name"] for p in image.window_presets} >= {"Lung", "Mediastinum", "Soft tissue", "Bone", "Brain"}
    assert len(image.token) >= 22  # >= 128 bits of randomness


def test_it_refuses_non_hu_values_outside_16_bits(alice):
    with pytest.raises(ValueError):
        create_image(owner=alice, pixels=np.full((8, 8), -1.0), is_hu=False, modality="MR", origin="synthetic")


def test_it_serves_each_rendition_to_its_owner_with_a_strong_etag_and_private_caching(client, alice):
    image = _synthetic(alice)
    client.force_login(alice)
    for kind in ("master", "display", "thumb"):
        response = client.get(reverse(f"imaging:{kind}", kwargs={"token": image.token}))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["ETag"] == f'"{getattr(image, kind + "_sha256")}"'
        assert response["Cache-Control"] == "private, max-age=3600"
        assert response["Content-Disposition"] == 'inline; filename="image.png"'
        assert "Last-Modified" not in response
        again = client.get(reverse(f"imaging:{kind}", kwargs={"token": image.token}),
                           HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304 and again.content == b""


def test_it_answers_404_to_an_outsider_and_to_anonymous_visitors(client, alice, charlie):
    image = _synthetic(alice)
    client.force_login(charlie)
    for name in ("imaging:master", "imaging:display", "imaging:thumb", "imaging:detail"):
        assert client.get(reverse(name, kwargs={"token": image.token})).status_code == 404
    assert client.get(f"/api/images/{image.token}/").status_code == 404
    client.logout()
    assert client.get(reverse("imaging:master", kwargs={"token": image.token})).status_code == 404


def test_a_registered_view_grant_lets_a_study_reader_see_an_image(client, alice, bob):
    from django.db.models import Q

    from imaging import access

    image = _synthetic(alice)
    client.force_login(bob)
    assert client.get(reverse("imaging:display", kwargs={"token": image.token})).status_code == 404

    def bob_reads_everything(user):
        return Q(pk__isnull=False) if user.username == "bob" else Q()

    access.register_view_grant(bob_reads_everything)
    try:
        assert client.get(reverse("imaging:display", kwargs={"token": image.token})).status_code == 200
        assert client.get(f"/api/images/{image.token}/").status_code == 200
    finally:
        access._grants.remove(bob_reads_everything)


def test_the_image_api_gives_the_viewer_contract_without_origin(client, alice):
    series = ImageSeries.objects.create(owner=alice)
    images = [_synthetic(alice, seed=i, series=series, position=i) for i in range(3)]
    client.force_login(alice)
    data = client.get(f"/api/images/{images[1].token}/").json()
    assert set(data) == {"token", "width", "height", "modality", "pixel_spacing_mm", "rescale_intercept", "units",
                         "window", "window_presets", "urls", "series"}
    assert data["width"] == data["height"] == CANONICAL_SIZE
    assert data["rescale_intercept"] == -1024 and data["units"] == "HU"
    assert data["window"] == {"center": 40.0, "width": 400.0}
    assert data["series"] == {"token": series.token, "index": 1, "count": 3, "tokens": [i.token for i in images]}
    assert data["urls"]["master"] == f"/imaging/i/{images[1].token}/master.png"
    text = str(data).lower()
    assert "synthetic" not in text and "origin" not in text and "provenance" not in text and "seed" not in text


def test_an_owner_lists_their_own_images_only(client, alice, charlie):
    mine = _synthetic(alice)
    _synthetic(charlie)
    client.force_login(alice)
    tokens = [row["token"] for row in client.get("/api/images/").json()["results"]]
    assert tokens == [mine.token]


def test_renditions_of_real_and_synthetic_images_cannot_be_told_apart_by_format(alice):
    rng = np.random.default_rng(3)
    real_mr = create_image(owner=alice, pixels=rng.integers(0, 4000, (300, 256)).astype(np.uint16), is_hu=False,
                           modality="MR", origin="real", pixel_spacing_mm=(0.9, 0.9))
    synth_mr = create_image(owner=alice, pixels=rng.integers(0, 4000, (64, 64)).astype(np.uint16), is_hu=False,
                            modality="MR", origin="synthetic", provenance={"seed": 1})
    for kind in ("master", "display", "thumb"):
        a = getattr(real_mr, kind).open("rb").read()
        b = getattr(synth_mr, kind).open("rb").read()
        assert [c for c, _ in png_chunks(a)] == [c for c, _ in png_chunks(b)] == [b"IHDR", b"IDAT", b"IEND"]
        assert png_chunks(a)[0][1] == png_chunks(b)[0][1]  # IHDR: same size, bit depth, colour type
        ia, ib = PILImage.open(io.BytesIO(a)), PILImage.open(io.BytesIO(b))
        assert (ia.mode, ia.size, ia.info) == (ib.mode, ib.size, ib.info)

"""The two proofs the platform rests on.

De-identification: identifiers planted in standard, private and nested attributes of a DICOM file
are found nowhere after ingest — not in any stored byte under MEDIA_ROOT, not in the database
rows we keep, not in any byte served — and the original file is not stored without opt-in.
Blinding: real (ingested) and synthetic (create_image) images are served in renditions of
identical format, size and bit depth, with no metadata chunks, and the same headers and JSON."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db.models import Q
from django.urls import reverse

from imaging import access
from imaging.ingest import originals_root
from imaging.models import Image, IngestedFile, Upload
from imaging.renditions import png_chunks
from imaging.store import create_image
from tests.imaging.factories import synthetic_ct
from tests.core.waiting import wait_for
from tests.imaging.files import PLANTED, dicom_bytes, planted_ct, pydicom_file, upload_file, zip_of

pytestmark = pytest.mark.django_db(transaction=True)

NEEDLES = sorted({part for value in PLANTED.values() for part in [value, *value.split("^")] if len(part) >= 5})


def _ingest(client, files: dict[str, bytes], **options) -> Upload:
    response = client.post("/api/uploads/", {"files": [upload_file(n, d) for n, d in files.items()], **options})
    assert response.status_code == 201, response.content
    upload = Upload.objects.get(public_id=response.json()["id"])
    assert wait_for(upload.job).status == "succeeded"
    return upload


def _leaks(data: bytes) -> list[str]:
    lowered = data.lower()
    return [n for n in NEEDLES if n.lower().encode() in lowered or n.lower().encode("utf-16-le") in lowered]


def _served_urls(upload: Upload) -> list[str]:
    urls = ["/api/images/", f"/api/uploads/{upload.public_id}/", "/api/collections/",
            reverse("imaging:index"), reverse("imaging:upload-detail", kwargs={"public_id": upload.public_id}),
            reverse("imaging:collection", kwargs={"public_id": upload.collection.public_id})]
    for image in Image.objects.filter(ingest_file__upload=upload):
        urls += [f"/api/images/{image.token}/"] + [reverse(f"imaging:{kind}", kwargs={"token": image.token})
                                                   for kind in ("master", "display", "thumb", "detail")]
    return urls


def test_planted_identifiers_are_nowhere_in_stored_or_served_bytes_and_no_original_is_kept(
        celery_worker, client, alice, settings):
    client.force_login(alice)
    planted = dicom_bytes(planted_ct())
    assert _leaks(planted)  # the needles are really in the file we upload
    upload = _ingest(client, {"patient.dcm": planted, "more.zip": zip_of({"inner/patient2.dcm": planted})})
    assert upload.files.filter(status="accepted").count() == 3, list(upload.files.values("name", "reason"))

    stored = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert len(stored) == 6  # master, display, thumb of two images; nothing else
    for path in stored:
        assert not _leaks(path.read_bytes()), path
        assert b"DICM" not in path.read_bytes()
    assert not originals_root().exists()
    assert not IngestedFile.objects.filter(original_kept=True).exists()

    rows = json.dumps([list(Image.objects.values("source_header", "provenance", "modality")),
                       list(IngestedFile.objects.values("name", "reason", "notes", "removed"))])
    assert not _leaks(rows.encode())

    for url in _served_urls(upload):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not _leaks(response.content), url


def test_the_original_is_kept_apart_only_when_the_owner_opts_in(celery_worker, client, alice, settings):
    client.force_login(alice)
    planted = dicom_bytes(planted_ct())
    upload = _ingest(client, {"patient.dcm": planted}, keep_originals="true")
    line = upload.files.get()
    assert line.original_kept
    kept = [p for p in originals_root().rglob("*") if p.is_file()]
    assert [p.read_bytes() for p in kept] == [planted]
    images_folder = Path(settings.MEDIA_ROOT) / "images"
    assert not any(_leaks(p.read_bytes()) for p in images_folder.rglob("*") if p.is_file())
    for url in _served_urls(upload):
        assert not _leaks(client.get(url).content), url


def test_real_and_synthetic_renditions_are_served_identically_but_for_their_pixels(
        celery_worker, client, alice, bob):
    client.force_login(alice)
    upload = _ingest(client, {"ct.dcm": pydicom_file("CT_small.dcm"), "mr.dcm": pydicom_file("MR_small.dcm")})
    real = list(Image.objects.filter(ingest_file__upload=upload))
    synthetic = [
        create_image(owner=alice, pixels=synthetic_ct(1), is_hu=True, modality="CT", origin="synthetic",
                     provenance={"model": "tiny", "seed": 1}, pixel_spacing_mm=0.7),
        create_image(owner=alice, pixels=(synthetic_ct(2, 96) + 1024).clip(0), is_hu=False, modality="MR",
                     origin="synthetic", provenance={"model": "tiny", "seed": 2}),
    ]
    assert {i.origin for i in real} == {"real"} and len(real) == 2

    def reads_all(user):  # what a reader study will grant
        return Q(pk__isnull=False) if user.username == "bob" else Q()

    access.register_view_grant(reads_all)
    try:
        client.force_login(bob)
        for kind in ("master", "display", "thumb"):
            seen = {}
            for image in real + synthetic:
                response = client.get(reverse(f"imaging:{kind}", kwargs={"token": image.token}))
                chunks = png_chunks(response.content)
                assert [c for c, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
                headers = {k: v for k, v in response.items() if k not in ("ETag", "Content-Length")}
                seen.setdefault(image.origin, set()).add((chunks[0][1], json.dumps(headers, sort_keys=True)))
            # one IHDR (width, height, bit depth, colour type, compression, filter, interlace) and one
            # set of headers, the same for both origins
            assert seen["real"] == seen["synthetic"] and len(seen["real"]) == 1
        shapes = set()
        for image in real + synthetic:
            data = client.get(f"/api/images/{image.token}/").json()
            assert "origin" not in data and "provenance" not in data
            assert "real" not in json.dumps(data) and "synthetic" not in json.dumps(data)
            shapes.add((tuple(sorted(data)), data["width"], data["height"]))
        assert len(shapes) == 1
    finally:
        access._grants.remove(reads_all)

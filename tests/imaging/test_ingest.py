"""Uploads through the API and pages, ingested by a real worker: good files land with their
renditions and report; each bad file gets its own reason while the good ones beside it land."""
from __future__ import annotations

import pytest
from django.urls import reverse

from imaging.models import FileStatus, Image, IngestedFile, Upload
from tests.core.waiting import wait_for
from tests.imaging.files import (bomb_png, burned_in_dicom, dicom_bytes, lying_zip, oversized_dicom, planted_ct,
                                 png16, pydicom_file, tiff16, truncated_dicom, upload_file, zip_of)

pytestmark = pytest.mark.django_db(transaction=True)


def ingest(client, files: dict[str, bytes], **options) -> Upload:
    response = client.post("/api/uploads/", {"files": [upload_file(n, d) for n, d in files.items()], **options})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["job"]
    upload = Upload.objects.get(public_id=body["id"])
    job = wait_for(upload.job)
    assert job.status == "succeeded", job.error
    return upload


def outcome(upload: Upload) -> dict[str, IngestedFile]:
    return {f.name: f for f in upload.files.all()}


def test_a_single_dicom_upload_becomes_an_image_with_renditions_on_disk_and_a_report(celery_worker, client, alice):
    client.force_login(alice)
    upload = ingest(client, {"ct.dcm": pydicom_file("CT_small.dcm")})
    line = outcome(upload)["ct.dcm"]
    assert line.status == FileStatus.ACCEPTED, line.reason
    assert line.kind == "dicom" and line.image_count == 1
    assert {r["keyword"] for r in line.removed} >= {"PatientName", "PatientID", "StudyInstanceUID"}
    assert not line.original_kept
    image = Image.objects.get(ingest_file=line)
    assert image.origin == "real" and image.modality == "CT" and image.is_hu
    for field in (image.master, image.display, image.thumb):
        assert field.storage.exists(field.name)
    assert image.source_header["00100010"]["Value"][0]["Alphabetic"].startswith("ANON^")
    assert upload.job.result_data["accepted"] == 1
    report = client.get(f"/api/uploads/{upload.public_id}/").json()
    assert report["accepted"] == 1 and report["files"][0]["images"] == [image.token]


def test_several_files_added_one_by_one_then_started_are_all_ingested(celery_worker, client, alice):
    client.force_login(alice)
    created = client.post("/api/uploads/", {"start": "false", "collection_name": "Mixed formats", "modality": "MR"})
    assert created.status_code == 201 and created.json()["job"] is None
    upload_id = created.json()["id"]
    files = {"mr.dcm": pydicom_file("MR_small.dcm"), "slice.png": png16(), "page.tif": tiff16(),
             "us.dcm": pydicom_file("US1_UNCR.dcm")}
    for name, data in files.items():
        response = client.post(f"/api/uploads/{upload_id}/files/", {"file": upload_file(name, data)})
        assert response.status_code == 201, response.content
    started = client.post(f"/api/uploads/{upload_id}/start/")
    assert started.status_code == 200
    upload = Upload.objects.get(public_id=upload_id)
    assert wait_for(upload.job).status == "succeeded"
    lines = outcome(upload)
    assert {n: f.status for n, f in lines.items()} == dict.fromkeys(files, FileStatus.ACCEPTED), \
        {n: f.reason for n, f in lines.items()}
    assert "Colour image converted to grayscale." in lines["us.dcm"].notes
    assert Image.objects.get(ingest_file=lines["slice.png"]).modality == "MR"
    assert client.post(f"/api/uploads/{upload_id}/start/").status_code == 409


def test_every_bad_file_gets_its_own_reason_and_the_good_files_beside_them_land(celery_worker, client, alice, settings):
    settings.IMAGING_ZIP_MAX_MEMBERS = 3
    client.force_login(alice)
    good_zip = zip_of({
        "study/a.dcm": pydicom_file("CT_small.dcm"),
        "../evil.dcm": pydicom_file("CT_small.dcm"),
        "/abs/evil2.dcm": pydicom_file("CT_small.dcm"),
    })
    bomb_zip = zip_of({"zeros.dcm": b"\x00" * 5_000_000, "inner.zip": zip_of({"x.png": png16()})})
    crowded_zip = zip_of({f"f{i}.png": png16(8, 8, i) for i in range(4)})
    upload = ingest(client, {
        "good.dcm": pydicom_file("CT_small.dcm"),
        "truncated.dcm": truncated_dicom(),
        "report.dcm": pydicom_file("test-SR.dcm"),
        "rtstruct.dcm": pydicom_file("rtstruct.dcm"),
        "picture.dcm": png16(),
        "notes.png": b"these are not pixels\n" * 10,
        "bomb.png": bomb_png(),
        "huge.dcm": oversized_dicom(),
        "screen.dcm": burned_in_dicom(),
        "good.zip": good_zip,
        "bomb.zip": bomb_zip,
        "liar.zip": lying_zip(),
        "crowded.zip": crowded_zip,
    })
    lines = outcome(upload)
    reasons = {name: line.reason for name, line in lines.items()}
    assert lines["good.dcm"].status == FileStatus.ACCEPTED
    assert lines["a.dcm"].status == FileStatus.ACCEPTED and lines["a.dcm"].archive == "good.zip"
    assert "truncated" in reasons["truncated.dcm"] or "readable" in reasons["truncated.dcm"]
    assert "Not an image" in reasons["report.dcm"] and "Not an image" in reasons["rtstruct.dcm"]
    assert "name says DICOM but the content is PNG" in reasons["picture.dcm"]
    assert "name says PNG" in reasons["notes.png"]
    assert "decompression bomb" in reasons["bomb.png"]
    assert "Too large" in reasons["huge.dcm"]
    assert "burned-in" in reasons["screen.dcm"] and lines["screen.dcm"].burned_in_annotation
    assert "Unsafe path" in reasons["evil.dcm"] and "Unsafe path" in reasons["evil2.dcm"]
    assert "zip bomb" in reasons["zeros.dcm"]
    assert "inside archives" in reasons["inner.zip"]
    assert "cannot be extracted" in reasons["liar.dcm"] or "zip bomb" in reasons["liar.dcm"]
    assert "limit is 3" in reasons["crowded.zip"]
    rejected = {n for n, line in lines.items() if line.status == FileStatus.REJECTED}
    assert rejected == set(lines) - {"good.dcm", "a.dcm", "good.zip", "bomb.zip", "liar.zip"}
    assert Image.objects.filter(ingest_file__upload=upload).count() == 2
    assert not any(p.is_file() for p in (settings.MEDIA_ROOT / "quarantine").rglob("*"))  # quarantine emptied


def test_an_upload_over_the_size_limit_is_refused_with_a_clear_message(client, alice, settings):
    settings.IMAGING_MAX_UPLOAD_BYTES = 10_000
    settings.IMAGING_MAX_FILE_BYTES = 10_000
    client.force_login(alice)
    response = client.post("/api/uploads/", {"files": [upload_file("big.dcm", b"\x00" * 2_000_000)]})
    assert response.status_code == 413
    assert "limit is 0.0 MB per upload" in response.json()["detail"] or "limit" in response.json()["detail"]
    created = client.post("/api/uploads/", {"start": "false"}).json()
    settings.IMAGING_MAX_UPLOAD_BYTES = 10_000_000
    line = client.post(f"/api/uploads/{created['id']}/files/", {"file": upload_file("big.dcm", b"\x00" * 20_000)})
    assert line.status_code == 201 and line.json()["status"] == "rejected" and "per file" in line.json()["reason"]


def test_a_reader_cannot_upload(client, bob):
    client.force_login(bob)
    assert client.post("/api/uploads/", {"files": [upload_file("a.png", png16())]}).status_code == 403


def test_the_upload_form_works_without_javascript_and_leads_to_the_report_and_the_collection(
        celery_worker, client, alice):
    client.force_login(alice)
    page = client.get(reverse("imaging:index"))
    assert page.status_code == 200 and b'type="file"' in page.content
    response = client.post(reverse("imaging:upload"), {
        "files": [upload_file("ct.dcm", dicom_bytes(planted_ct())), upload_file("x.png", png16())],
        "collection_name": "Chest set", "modality": "OT"})
    assert response.status_code == 302
    upload = Upload.objects.get(owner=alice)
    assert response["Location"] == reverse("imaging:upload-detail", kwargs={"public_id": upload.public_id})
    wait_for(upload.job)
    report = client.get(response["Location"])
    assert b"2</strong> accepted" in report.content and b"PatientName" in report.content
    collection = client.get(reverse("imaging:collection", kwargs={"public_id": upload.collection.public_id}))
    for image in Image.objects.filter(owner=alice):
        assert reverse("imaging:thumb", kwargs={"token": image.token}).encode() in collection.content
        assert reverse("imaging:detail", kwargs={"token": image.token}).encode() in collection.content


def test_slices_of_one_series_and_the_frames_of_a_multi_frame_file_become_ordered_series(
        celery_worker, client, alice):
    from pydicom import dcmread
    from pydicom.data import get_testdata_file
    from pydicom.uid import generate_uid

    slices = {}
    for number in (3, 1, 2):
        ds = dcmread(get_testdata_file("CT_small.dcm"))
        ds.SOPInstanceUID = generate_uid()
        ds.InstanceNumber = number
        ds.PixelData = (ds.pixel_array + number).astype(ds.pixel_array.dtype).tobytes()
        slices[f"slice{number}.dcm"] = dicom_bytes(ds)
    client.force_login(alice)
    upload = ingest(client, {**slices, "cine.dcm": pydicom_file("emri_small_RLE.dcm")})
    lines = outcome(upload)
    stack = [Image.objects.get(ingest_file=lines[f"slice{n}.dcm"]) for n in (1, 2, 3)]
    assert len({i.series_id for i in stack}) == 1 and [i.position for i in stack] == [0, 1, 2]
    cine = list(Image.objects.filter(ingest_file=lines["cine.dcm"]).order_by("position"))
    assert len(cine) == 10 and len({i.series_id for i in cine}) == 1 and cine[0].series_id != stack[0].series_id
    data = client.get(f"/api/images/{stack[1].token}/").json()
    assert data["series"]["tokens"] == [i.token for i in stack] and data["series"]["index"] == 1


def test_too_many_files_in_one_request_gets_a_clear_message(client, alice, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    client.force_login(alice)
    response = client.post("/api/uploads/", {"files": [upload_file(f"{i}.png", png16(4, 4, i)) for i in range(3)]})
    assert response.status_code == 400 and "zip archive" in response.json()["detail"]


def test_deleting_an_image_removes_its_files(alice):
    from imaging.store import create_image
    from tests.imaging.factories import synthetic_ct

    image = create_image(owner=alice, pixels=synthetic_ct(), is_hu=True, modality="CT", origin="synthetic")
    names = [image.master.name, image.display.name, image.thumb.name]
    image.delete()
    assert not any(image.master.storage.exists(name) for name in names)


def test_quarantined_bytes_of_an_abandoned_upload_are_purged(client, alice):
    from datetime import timedelta

    from django.utils import timezone

    from imaging.quarantine import purge_stale_quarantine, quarantine_dir

    client.force_login(alice)
    created = client.post("/api/uploads/", {"start": "false"}).json()
    client.post(f"/api/uploads/{created['id']}/files/", {"file": upload_file("a.dcm", pydicom_file("CT_small.dcm"))})
    upload = Upload.objects.get(public_id=created["id"])
    assert any(quarantine_dir(upload).iterdir())
    assert purge_stale_quarantine(max_age_hours=1) == 0  # too recent
    Upload.objects.filter(pk=upload.pk).update(created_at=timezone.now() - timedelta(hours=2))
    assert purge_stale_quarantine(max_age_hours=1) == 1
    assert not quarantine_dir(upload).exists()
    assert upload.files.get().status == FileStatus.REJECTED

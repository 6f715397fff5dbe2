"""Two doors, one function (imaging/uploads.py): the upload page (no JavaScript) and POST /api/uploads/
get the same malformed uploads and must answer with the same sentence and status, leaving nothing
half-made behind; files they accept but the ingest job rejects get the same report line either way."""
from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from core.models import Job
from imaging.models import FileStatus, Image, ImageCollection, IngestedFile, Upload
from imaging.quarantine import quarantine_root
from imaging.uploads import (BadModality, CollectionNameTooLong, NoFiles, NotTrueOrFalse, TooManyFiles,
                             UnknownCollection, UploadTooLarge)
from tests.core.waiting import wait_for
from tests.imaging.factories import ImageCollectionFactory
from tests.imaging.files import png16, pydicom_file, truncated_dicom, upload_file, zip_of

PAGE_ERROR = re.compile(r'<p class="error" id="upload-error" role="alert">(.*?)</p>', re.S)


def through_both_doors(client, files: dict[str, bytes], **fields) -> tuple:
    """(page response, API response) for the same upload posted to each door."""
    def post(url):
        return client.post(url, {"files": [upload_file(name, data) for name, data in files.items()], **fields})

    return post(reverse("imaging:upload")), post("/api/uploads/")


def page_sentence(response) -> str:
    found = PAGE_ERROR.search(response.content.decode())
    assert found, "the page shows no refusal"
    return html.unescape(found.group(1))


def nothing_was_kept(collections_before: int) -> None:
    assert Upload.objects.count() == IngestedFile.objects.count() == Job.objects.count() == 0
    assert ImageCollection.objects.count() == collections_before
    root = quarantine_root()
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


MB = 1024 * 1024
REFUSALS = {
    "no files": ({}, {}, {}, lambda: NoFiles()),
    "a request over the upload limit": (
        {"big.dcm": b"\x00" * (2 * MB)}, {}, {"IMAGING_MAX_UPLOAD_BYTES": 10_000}, None),
    "files adding up to more than the upload limit": (
        {"a.png": png16(), "big.dcm": b"\x00" * (MB // 2), "c.dcm": b"\x00" * (MB // 2)}, {},
        {"IMAGING_MAX_UPLOAD_BYTES": 600_000}, None),
    "too many files in one request": (
        {f"{i}.png": png16(4, 4, i) for i in range(3)}, {}, {"DATA_UPLOAD_MAX_NUMBER_FILES": 2},
        lambda: TooManyFiles()),
    "a collection that is not yours": ({"a.png": png16()}, {"collection": "charlie"}, {}, lambda: UnknownCollection()),
    "a collection id that is not an id": ({"a.png": png16()}, {"collection": "../1"}, {}, lambda: UnknownCollection()),
    "a collection name too long": ({"a.png": png16()}, {"collection_name": "x" * 201}, {},
                                   lambda: CollectionNameTooLong()),
    "a modality that is no DICOM code": ({"a.png": png16()}, {"modality": "computed tomography!"}, {},
                                         lambda: BadModality()),
    "keep_originals neither true nor false": ({"a.png": png16()}, {"keep_originals": "perhaps"}, {},
                                              lambda: NotTrueOrFalse("keep_originals")),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(REFUSALS))
def test_both_doors_refuse_a_malformed_upload_with_the_same_sentence_and_keep_nothing(
        case, client, alice, charlie, settings):
    files, fields, limits, expected = REFUSALS[case]
    for name, value in limits.items():
        setattr(settings, name, value)
    if fields.get("collection") == "charlie":
        fields = {**fields, "collection": str(ImageCollectionFactory(owner=charlie).public_id)}
    ImageCollectionFactory(owner=alice, name="Existing")
    before = ImageCollection.objects.count()
    client.force_login(alice)
    page, api = through_both_doors(client, files, **fields)
    assert page.status_code == api.status_code, (page.status_code, api.status_code)
    assert page_sentence(page) == api.json()["detail"]
    if expected is not None:
        assert api.json()["detail"] == str(expected()) and page.status_code == expected().status
    else:
        assert page.status_code == UploadTooLarge.status == 413
        assert "per upload: split it into smaller uploads." in api.json()["detail"]
    nothing_was_kept(before)


@pytest.mark.django_db
def test_the_step_by_step_api_refuses_with_the_same_sentences(client, alice):
    client.force_login(alice)
    created = client.post("/api/uploads/", {"start": "false"}).json()
    no_file = client.post(f"/api/uploads/{created['id']}/files/", {})
    assert no_file.status_code == 400 and no_file.json()["detail"] == str(NoFiles())
    empty_start = client.post(f"/api/uploads/{created['id']}/start/")
    assert empty_start.status_code == 400 and empty_start.json()["detail"] == str(NoFiles())


BAD_CONTENT = {
    "empty.dcm": b"",
    "notes.png": b"these are not pixels\n" * 10,
    "report.dcm": pydicom_file("test-SR.dcm"),
    "truncated.dcm": truncated_dicom(),
    "not-a-zip.zip": b"PK\x03\x04 but nothing of a zip after it" * 20,
    "junk.zip": zip_of({"readme.txt": b"hello", "../escape.dcm": pydicom_file("CT_small.dcm"),
                        "inner.zip": zip_of({"x.png": png16()}), "half.dcm": truncated_dicom()}),
    "huge.png": b"\x00" * 150_000,
}


@pytest.mark.django_db(transaction=True)
def test_files_the_ingest_rejects_get_the_same_report_through_either_door_and_the_good_one_lands(
        celery_worker, client, alice, settings):
    settings.IMAGING_MAX_FILE_BYTES = 100_000  # huge.png is over it: rejected at intake, the others go on
    client.force_login(alice)
    files = {**BAD_CONTENT, "good.dcm": pydicom_file("CT_small.dcm")}
    page, api = through_both_doors(client, files)
    assert page.status_code == 302 and api.status_code == 201, api.content
    uploads = list(Upload.objects.order_by("created_at", "id"))
    assert len(uploads) == 2 and page["Location"] == reverse("imaging:upload-detail",
                                                             kwargs={"public_id": uploads[0].public_id})
    reports = []
    for upload in uploads:
        assert wait_for(upload.job).status == "succeeded"
        reports.append({(line.archive, line.name): (line.status, line.reason) for line in upload.files.all()})
    assert reports[0] == reports[1]
    accepted = {name for (_, name), (status, _) in reports[0].items() if status == FileStatus.ACCEPTED}
    assert accepted == {"good.dcm", "junk.zip"}  # an archive is accepted as a container; its members are judged
    assert reports[0][("", "huge.png")][1] == reports[1][("", "huge.png")][1] != ""
    for upload in uploads:
        images = Image.objects.filter(ingest_file__upload=upload)
        assert [i.ingest_file.name for i in images] == ["good.dcm"]  # nothing half-made for the others
    assert not any(p.is_file() for p in quarantine_root().rglob("*"))  # every quarantined byte was read and deleted

"""The upload page in headless chromium: files chosen with the (keyboard-usable) file input are
sent one request each with their own progress bar, then the ingest report replaces the job bar."""
from __future__ import annotations

import pytest

from accounts.roles import Role
from imaging.models import Image
from tests.accounts.factories import PASSWORD, UserFactory
from tests.imaging.files import png16, pydicom_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_educator_uploads_files_with_per_file_progress_and_sees_the_ingest_report(
        live_server, page, celery_worker):
    UserFactory(username="eve", role=Role.EDUCATOR)
    page.goto(live_server.url + "/accounts/login/?next=/imaging/")
    page.get_by_label("Username").fill("eve")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/imaging/")

    file_input = page.get_by_label("Files (DICOM, PNG, TIFF or zip)")
    file_input.focus()
    assert page.evaluate("document.activeElement.type") == "file"  # reachable without a mouse
    file_input.set_input_files([
        {"name": "ct.dcm", "mimeType": "application/dicom", "buffer": pydicom_file("CT_small.dcm")},
        {"name": "slice.png", "mimeType": "image/png", "buffer": png16()},
        {"name": "notes.png", "mimeType": "image/png", "buffer": b"not an image"},
    ])
    assert page.locator("#upload-files li").count() == 3
    assert page.locator("#upload-files progress").count() == 3
    page.get_by_label("Name of the new collection").fill("Browser set")
    page.get_by_role("button", name="Upload and ingest").click()

    page.wait_for_url("**/imaging/uploads/**", timeout=30_000)
    page.wait_for_selector("text=2 accepted", timeout=30_000)
    report = page.locator("#ingest-report").inner_text()
    assert "The name says PNG" in report and "ct.dcm" in report
    assert Image.objects.filter(collection__name="Browser set").count() == 2

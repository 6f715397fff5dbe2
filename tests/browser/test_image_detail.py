"""The image detail page end to end: images made by the imaging store from the phantom, served by
its master.png route and shown by the viewer; the facts panel (with origin) for managers only."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from tests.accounts.factories import UserFactory
from tests.browser.phantom import MARKER_AT, MARKER_HU, REGIONS, phantom_hu, window_grey

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
VIEWER = "document.getElementById('image-viewer').viewer"
LUNG = (-600, 1500)
SCALE = 2  # the store resamples the 256 px phantom onto its 512 px canonical matrix


@pytest.fixture
def phantom_series(alice):
    from imaging.models import ImageSeries
    from imaging.store import create_image

    series = ImageSeries.objects.create(owner=alice)
    return [create_image(owner=alice, pixels=phantom_hu(i), is_hu=True, modality="CT", origin="synthetic",
                         series=series, position=i, pixel_spacing_mm=1.0) for i in range(3)]


@pytest.fixture
def granted_reader(bob, phantom_series):
    """bob (a reader) may view the phantom series through a grant, as a reader study would add."""
    from django.db.models import Q

    from imaging import access

    def grant(user):
        return Q(series_id=phantom_series[0].series_id) if user.pk == bob.pk else Q()

    access.register_view_grant(grant)
    yield bob
    access._grants.remove(grant)


def log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])


def open_detail(page, live_server, image) -> None:
    page.set_default_timeout(10_000)
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    page.goto(live_server.url + reverse("imaging:detail", kwargs={"token": image.token}))
    page.wait_for_function(f"{VIEWER} && {VIEWER}.getState().loaded")


def grey_and_value(page, column: float, row: float) -> tuple[int, float]:
    return tuple(page.evaluate(
        """([x, y]) => {
            const v = document.getElementById('image-viewer').viewer;
            const p = v.imageToCanvas(x + 0.5, y + 0.5);
            const grey = v.canvas.getContext('2d').getImageData(Math.floor(p.x), Math.floor(p.y), 1, 1).data[0];
            return [grey, v.valueAt(x, y)];
        }""",
        [column, row],
    ))


@pytest.mark.browser
def test_the_owner_reads_the_series_from_the_store_with_the_facts(page, live_server, alice, phantom_series):
    log_in(page, live_server, alice)
    open_detail(page, live_server, phantom_series[1])
    s = page.evaluate(f"{VIEWER}.getState()")
    assert (s["index"], s["count"], s["token"]) == (1, 3, phantom_series[1].token)
    assert (s["window"]["center"], s["window"]["width"]) == (40, 400)  # the store's default: soft tissue
    page.keyboard.press("1")
    assert page.evaluate(f"{VIEWER}.getState().preset") == "Lung"
    (col, row), lung_hu = REGIONS["lung"]
    grey, value = grey_and_value(page, col * SCALE + 1, row * SCALE + 1)
    assert value == lung_hu
    assert grey == window_grey(lung_hu, *LUNG)
    grey, value = grey_and_value(page, MARKER_AT[0] * SCALE + 1, MARKER_AT[1] * SCALE + 1)
    assert value == MARKER_HU[1]
    page.keyboard.press("ArrowDown")
    page.wait_for_function(f"{VIEWER}.getState().index === 2 && {VIEWER}.getState().loaded")
    assert page.url.endswith(reverse("imaging:detail", kwargs={"token": phantom_series[2].token}))
    assert grey_and_value(page, MARKER_AT[0] * SCALE + 1, MARKER_AT[1] * SCALE + 1)[1] == MARKER_HU[2]
    facts = page.locator(".facts")
    assert facts.is_visible()
    assert page.locator('[data-field="origin"]').inner_text() == "Synthetic"
    assert "512 × 512 px" in facts.inner_text()
    assert page.js_errors == []


@pytest.mark.browser
def test_a_reader_sees_the_viewer_but_neither_facts_nor_origin(page, live_server, granted_reader, phantom_series):
    log_in(page, live_server, granted_reader)
    open_detail(page, live_server, phantom_series[0])
    assert page.evaluate(f"{VIEWER}.getState().count") == 3
    html = page.locator("main").inner_html().lower()
    assert not re.search(r"\borigin\b|\bsynthetic\b|\bprovenance\b", html)
    assert page.locator(".facts").count() == 0


@pytest.mark.django_db
def test_it_answers_404_to_an_outsider_and_to_an_unknown_token(client, charlie, phantom_series):
    client.force_login(charlie)
    assert client.get(reverse("imaging:detail", kwargs={"token": phantom_series[0].token})).status_code == 404
    assert client.get(reverse("imaging:detail", kwargs={"token": "no-such-token"})).status_code == 404


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_log_in(client, phantom_series):
    response = client.get(reverse("imaging:detail", kwargs={"token": phantom_series[0].token}))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_an_administrator_sees_the_facts(client, phantom_series):
    admin = UserFactory(username="root", role=Role.ADMIN)
    client.force_login(admin)
    response = client.get(reverse("imaging:detail", kwargs={"token": phantom_series[0].token}))
    assert response.status_code == 200 and b'data-field="origin"' in response.content


@pytest.mark.browser
@pytest.mark.slow
def test_screenshot_of_the_detail_page_on_the_example_ct(page, live_server, alice, tmp_path):
    """docs/img/viewer-detail.png (rewritten with RADTURING_SCREENSHOTS=1)."""
    from gan_engine.data.example_ct import ExampleCTMissing, load_example_ct, lung_slice_indices
    from imaging.models import ImageSeries
    from imaging.store import create_image

    try:
        ct = load_example_ct()
    except ExampleCTMissing as exc:
        pytest.skip(str(exc))
    z = int(lung_slice_indices(ct)[len(lung_slice_indices(ct)) // 2])
    series = ImageSeries.objects.create(owner=alice)
    images = [create_image(owner=alice, pixels=ct.hu[k], is_hu=True, modality="CT", origin="real", series=series,
                           position=i, pixel_spacing_mm=ct.spacing_mm[1]) for i, k in enumerate((z - 1, z, z + 1))]
    page.set_viewport_size({"width": 1280, "height": 1000})
    log_in(page, live_server, alice)
    open_detail(page, live_server, images[1])
    page.keyboard.press("1")
    page.mouse.move(640, 500)
    shot = tmp_path / "viewer-detail.png"
    page.screenshot(path=str(shot), full_page=True)
    if os.environ.get("RADTURING_SCREENSHOTS") == "1":
        shutil.copyfile(shot, DOCS_IMG / "viewer-detail.png")
    assert page.js_errors == []

"""The viewer on three slices of the real example chest CT in the lung window: the rendered canvas
matches the window formula on the scan's own HU, and the screenshots in docs/img/ come from here
(`RADTURING_SCREENSHOTS=1 pytest tests/browser/test_viewer_ct.py` rewrites them)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from tests.browser.phantom import window_grey
from tests.browser.viewer_page import VIEWER, open_viewer, state

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.usefixtures("viewer_urls")]

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
LUNG = (-600, 1500)


@pytest.fixture(scope="module")
def ct_hu():
    """HU of the three slices the test page serves (skips when the example CT is not installed)."""
    from tests.browser.urls import ct_slices
    from PIL import Image
    import io

    from gan_engine.data.example_ct import ExampleCTMissing

    try:
        slices = ct_slices()
    except (ExampleCTMissing, Exception) as exc:  # Http404 wraps ExampleCTMissing
        pytest.skip(f"example CT not available: {exc}")
    return [np.array(Image.open(io.BytesIO(s))).astype(np.int32) - 1024 for s in slices]


def keep(path: Path, name: str) -> None:
    if os.environ.get("RADTURING_SCREENSHOTS") == "1":
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_IMG / name)


def test_it_shows_the_example_ct_in_the_lung_window(page, live_server, ct_hu, tmp_path):
    page.set_viewport_size({"width": 1280, "height": 1000})
    open_viewer(page, live_server, kind="ct")
    s = state(page)
    assert (s["window"]["center"], s["window"]["width"]) == LUNG and s["preset"] == "Lung"
    page.keyboard.press("o")  # 1:1, so each sampled canvas pixel is one image pixel
    hu = ct_hu[0]
    rng = np.random.default_rng(0)
    points = rng.integers(160, 352, size=(200, 2))  # the centre of the 512 x 512 slice
    got = page.evaluate(
        """(points) => {
            const v = document.getElementById('v').viewer;
            const ctx = v.canvas.getContext('2d');
            return points.map(([x, y]) => {
                const p = v.imageToCanvas(x + 0.5, y + 0.5);
                return ctx.getImageData(Math.floor(p.x), Math.floor(p.y), 1, 1).data[0];
            });
        }""",
        points.tolist(),
    )
    want = [window_grey(hu[y, x], *LUNG) for x, y in points]
    close = np.abs(np.array(got) - np.array(want)) <= 2
    assert close.mean() > 0.9, f"only {close.mean():.0%} of sampled pixels match the lung window"
    assert len(set(got)) > 30  # a real image, not a flat field

    page.keyboard.press("0")
    page.keyboard.press("ArrowDown")
    page.wait_for_function(f"{VIEWER}.getState().loaded")
    page.mouse.move(640, 450)  # a value under the cursor in the status line
    shot = tmp_path / "viewer.png"
    page.locator("#v").screenshot(path=str(shot))
    keep(shot, "viewer.png")

    page.keyboard.press("?")
    help_shot = tmp_path / "viewer-help.png"
    page.locator("#v").screenshot(path=str(help_shot))
    keep(help_shot, "viewer-help.png")
    assert page.js_errors == []

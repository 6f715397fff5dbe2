"""Helpers that read the viewer's canvas and state from a Playwright page."""
from __future__ import annotations

VIEWER = "document.getElementById('v').viewer"


def open_viewer(page, live_server, kind: str = "phantom") -> None:
    """Open the test page and wait for the first image; page.js_errors collects script errors."""
    page.set_default_timeout(10_000)
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    page.on("console", lambda msg: page.js_errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/__viewer-test__/{kind}/")
    page.wait_for_function(f"{VIEWER} && {VIEWER}.getState().loaded")


def state(page) -> dict:
    return page.evaluate(f"{VIEWER}.getState()")


def grey_at(page, column: int, row: int) -> list[int]:
    """RGBA on the visible canvas at the centre of image pixel (column, row)."""
    return page.evaluate(
        """([x, y]) => {
            const v = document.getElementById('v').viewer;
            const p = v.imageToCanvas(x + 0.5, y + 0.5);
            return Array.from(v.canvas.getContext('2d').getImageData(Math.floor(p.x), Math.floor(p.y), 1, 1).data);
        }""",
        [column, row],
    )


def css_point(page, column: float, row: float) -> tuple[float, float]:
    """Page (CSS px) position of image point (column, row), for mouse input."""
    return tuple(page.evaluate(
        """([x, y]) => {
            const v = document.getElementById('v').viewer;
            const p = v.imageToCanvas(x, y);
            const r = v.canvas.getBoundingClientRect();
            return [r.left + p.x / devicePixelRatio, r.top + p.y / devicePixelRatio];
        }""",
        [column, row],
    ))


def status_text(page, field: str) -> str:
    return page.locator(f'#v .viewer-status [data-field="{field}"]').inner_text()

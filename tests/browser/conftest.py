"""Headless Debian chromium driven by Playwright (never a downloaded browser)."""
import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses that by default.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), "chromium is missing: `make test` installs it (apt-get install chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


# --- the viewer's tests (tests/browser/test_viewer*.py) ------------------------------------------
@pytest.fixture
def viewer_urls(settings):
    """The project's URLs plus the viewer test pages of tests/browser/urls.py."""
    settings.ROOT_URLCONF = "tests.browser.urls"


@pytest.fixture
def hidpi_page(chromium):
    """A page on a devicePixelRatio-2 screen."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=2)
    page = context.new_page()
    yield page
    context.close()

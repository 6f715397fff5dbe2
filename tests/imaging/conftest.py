"""Imaging fixtures."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _imaging_folders(settings):
    settings.IMAGING_QUARANTINE_ROOT = ""  # under the per-session MEDIA_ROOT
    settings.IMAGING_ORIGINALS_ROOT = ""


@pytest.fixture
def view_grant():
    """Register view grants (imaging.access) for one test: `view_grant(fn)`; removed afterwards."""
    from imaging import access

    registered = []

    def register(grant):
        access.register_view_grant(grant)
        registered.append(grant)
        return grant

    yield register
    for grant in registered:
        access._grants.remove(grant)

"""Imaging fixtures."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _imaging_folders(settings):
    settings.IMAGING_QUARANTINE_ROOT = ""  # under the per-session MEDIA_ROOT
    settings.IMAGING_ORIGINALS_ROOT = ""

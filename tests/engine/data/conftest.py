"""Shared fixtures of the data-layer tests: the example CT and pydicom's local test files."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest


@pytest.fixture(scope="session")
def example_ct():
    from gan_engine.data.example_ct import load_example_ct

    return load_example_ct()


@pytest.fixture(scope="session")
def lung_slice(example_ct):
    """(HU float32 [512, 512], lung bool [512, 512], spacing mm) of a mid-chest lung slice."""
    from gan_engine.data.example_ct import lung_slice_indices

    index = lung_slice_indices(example_ct)
    k = int(index[len(index) // 2])
    return (
        example_ct.hu[k].astype(np.float32),
        example_ct.lung_mask()[k],
        float(example_ct.spacing_mm[1]),
    )


@pytest.fixture(scope="session")
def testdata():
    """name -> Path of a pydicom / pydicom-data test file, never downloading (offline machines)."""
    from pydicom.data import get_testdata_file

    def find(name: str) -> Path:
        path = get_testdata_file(name, download=False)
        assert path is not None, f"pydicom test file {name} is not installed (pydicom-data?)"
        return Path(path)

    return find

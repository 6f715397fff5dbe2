"""Fixtures for the pure statistics tests: the Van Dyke (1993) reader study (data/README.md)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def van_dyke() -> tuple[np.ndarray, np.ndarray]:
    """ratings [modality, reader, case] and truth [case] (1 = abnormal) of data/van_dyke_1993.csv."""
    rows = np.loadtxt(DATA / "van_dyke_1993.csv", delimiter=",", comments="#", skiprows=4, dtype=int)
    reader, case = rows[:, 0] - 1, rows[:, 1] - 1
    ratings = np.zeros((2, reader.max() + 1, case.max() + 1))
    ratings[0, reader, case], ratings[1, reader, case] = rows[:, 3], rows[:, 4]
    truth = np.zeros(case.max() + 1, dtype=int)
    truth[case] = rows[:, 2]
    return ratings, truth

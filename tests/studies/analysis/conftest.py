"""Fixtures for the pure analysis tests: the Van Dyke (1993) data as a conditions table and as an
iMRMC file (tests/studies/stats/data/README.md has its provenance and published results)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

VAN_DYKE = Path(__file__).resolve().parents[1] / "stats" / "data" / "van_dyke_1993.csv"


@pytest.fixture(scope="session")
def van_dyke_rows() -> np.ndarray:
    """reader, case, truth, rating in modality 1, rating in modality 2 (5 readers × 114 cases)."""
    return np.loadtxt(VAN_DYKE, delimiter=",", comments="#", skiprows=4, dtype=int)


@pytest.fixture
def van_dyke_imrmc(van_dyke_rows, tmp_path) -> Path:
    """The Van Dyke data written by hand in the iMRMC layout (DIDSR/iMRMC input files: free-text
    header, BEGIN DATA:, truth rows with readerID -1, then readerID,caseID,modalityID,score)."""
    cases = np.unique(van_dyke_rows[:, 1])
    truth = {c: t for c, t in zip(van_dyke_rows[:, 1], van_dyke_rows[:, 2])}
    lines = ["Van Dyke et al. (1993): cine vs spin-echo MRI, aortic dissection", "NR: 5", "N0: 69", "N1: 45",
             "NM: 2", "", "BEGIN DATA:"]
    lines += [f"-1,{c},0,{truth[c]}" for c in cases]
    for modality, column in (("cine", 3), ("spin-echo", 4)):
        lines += [f"reader{r},{c},{modality},{s}" for r, c, s in van_dyke_rows[:, [0, 1, column]]]
    path = tmp_path / "van_dyke.imrmc"
    path.write_text("\n".join(lines) + "\n")
    return path

"""The patient table as columns: schema, profiles <-> arrays, and the validity repair rules.

The tabular GAN sees three continuous columns and nine discrete ones. Its raw output can break
the profile rules (a never-smoker with 3 pack-years), so decoded rows pass through
`columns_to_profiles`, which applies the documented rules below instead of rejecting rows:
  - age: rounded to whole years and clipped to the training data's range;
  - never-smokers: pack_years = 0 and years_since_quit = 0 (the smoking status wins);
  - ever-smokers: pack_years clipped to the training range of ever-smokers (so > 0);
  - current smokers: years_since_quit = 0; former smokers: years_since_quit clipped to the
    training range of former smokers and below the age.
These are the same constraints a rejection step would enforce; repairing keeps sampling O(n).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Sequence

import numpy as np

from gan_engine.patients.profile import (
    COMORBIDITIES,
    PRESENTING_COMPLAINTS,
    SEXES,
    SMOKING_STATUSES,
    PatientProfile,
)

BOOLEAN_CATEGORIES: tuple[str, ...] = ("no", "yes")


@dataclass(frozen=True)
class ColumnSpec:
    """One column: `categories` is empty for a continuous column."""

    name: str
    categories: tuple[str, ...] = ()

    @property
    def continuous(self) -> bool:
        """True for a numeric column (no categories)."""
        return not self.categories


# Same order as the PatientProfile fields (and the CSV header).
COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("age_years"),
    ColumnSpec("sex", SEXES),
    ColumnSpec("smoking_status", SMOKING_STATUSES),
    ColumnSpec("pack_years"),
    ColumnSpec("years_since_quit"),
    *(ColumnSpec(name, BOOLEAN_CATEGORIES) for name in COMORBIDITIES),
    ColumnSpec("presenting_complaint", PRESENTING_COMPLAINTS),
)
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
assert COLUMN_NAMES == tuple(f.name for f in fields(PatientProfile)), "schema out of step"

Columns = dict[str, np.ndarray]  # continuous: float64 values; discrete: int64 category codes


@dataclass(frozen=True)
class RepairLimits:
    """Ranges seen in the training data, used by `columns_to_profiles` (units: years, pack-years)."""

    age_min: int
    age_max: int
    pack_years_min: float   # smallest pack-years among ever-smokers (> 0)
    pack_years_max: float
    quit_min: float         # smallest years_since_quit among former smokers (> 0)
    quit_max: float

    def to_dict(self) -> dict[str, float]:
        """Plain dict for the model's JSON file."""
        return asdict(self)


def profiles_to_columns(profiles: Sequence[PatientProfile]) -> Columns:
    """Profiles -> one array per column (continuous as float64, discrete as int64 codes)."""
    out: Columns = {}
    for spec in COLUMNS:
        values = [getattr(p, spec.name) for p in profiles]
        if spec.continuous:
            out[spec.name] = np.asarray(values, dtype=np.float64)
        elif spec.name in COMORBIDITIES:  # booleans: False -> 0 ('no'), True -> 1 ('yes')
            out[spec.name] = np.asarray(values, dtype=np.int64)
        else:
            out[spec.name] = np.asarray([spec.categories.index(v) for v in values], dtype=np.int64)
    return out


def fit_repair_limits(profiles: Sequence[PatientProfile]) -> RepairLimits:
    """The ranges of the training data (see the module docstring)."""
    ages = [p.age_years for p in profiles]
    packs = [p.pack_years for p in profiles if p.ever_smoker] or [1.0]
    quits = [p.years_since_quit for p in profiles if p.smoking_status == "former"] or [1.0]
    return RepairLimits(age_min=min(ages), age_max=max(ages), pack_years_min=min(packs),
                        pack_years_max=max(packs), quit_min=min(quits), quit_max=max(quits))


def columns_to_profiles(columns: Columns, limits: RepairLimits) -> list[PatientProfile]:
    """Decoded columns -> valid profiles, applying the repair rules of the module docstring."""
    n = len(columns["age_years"])
    ages = np.clip(np.rint(columns["age_years"]), limits.age_min, limits.age_max).astype(int)
    packs = np.round(np.clip(columns["pack_years"], limits.pack_years_min, limits.pack_years_max), 1)
    quits = np.round(np.clip(columns["years_since_quit"], limits.quit_min, limits.quit_max), 1)
    profiles = []
    for i in range(n):
        row: dict[str, object] = {}
        for spec in COLUMNS:
            if spec.continuous:
                continue
            code = int(columns[spec.name][i])
            row[spec.name] = bool(code) if spec.name in COMORBIDITIES else spec.categories[code]
        age = int(ages[i])
        status = row["smoking_status"]
        pack_years = 0.0 if status == "never" else float(packs[i])
        quit = float(min(quits[i], age - 1)) if status == "former" else 0.0
        profiles.append(PatientProfile(age_years=age, pack_years=pack_years,
                                       years_since_quit=quit, **row))  # type: ignore[arg-type]
    return profiles

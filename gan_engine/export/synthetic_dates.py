"""Synthetic study dates and birth dates that agree with a patient's age in whole years."""
from __future__ import annotations

import datetime as dt

import numpy as np

# Synthetic study dates fall in this window (no real scanner calendar behind them).
FIRST_STUDY_DATE = dt.date(2020, 1, 1)
STUDY_WINDOW_DAYS = 5 * 365


def synthetic_study_datetime(rng: np.random.Generator) -> dt.datetime:
    """A study date in 2020-2024 and a time in working hours (08:00-17:59), drawn from `rng`."""
    day = FIRST_STUDY_DATE + dt.timedelta(days=int(rng.integers(0, STUDY_WINDOW_DAYS)))
    return dt.datetime.combine(day, dt.time(int(rng.integers(8, 18)), int(rng.integers(0, 60))))


def _minus_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Age in completed years on `day` (birthday counted on the day itself)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def synthetic_birth_date(age_years: int, study_date: dt.date, rng: np.random.Generator) -> dt.date:
    """A birth date making the patient exactly `age_years` old on `study_date`.

    The birthday is drawn uniformly over the year ending on the study date (0..364 days before
    the `age_years`-th birthday), so age_on(birth, study_date) == age_years.
    """
    latest = _minus_years(study_date, age_years)          # turns age_years on the study date
    birth = latest - dt.timedelta(days=int(rng.integers(0, 365)))
    while age_on(birth, study_date) != age_years:          # only near 29 February
        birth += dt.timedelta(days=1)
    return birth


def dicom_age(age_years: int) -> str:
    """DICOM AS value for whole years, e.g. 62 -> '062Y' (PS3.5 6.2)."""
    if not 0 <= age_years <= 999:
        raise ValueError(f"age must lie in 0..999 years, got {age_years}")
    return f"{age_years:03d}Y"

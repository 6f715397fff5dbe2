"""Reading and writing the patient CSV (one profile per row, header = PatientProfile fields).

Header: age_years,sex,smoking_status,pack_years,years_since_quit,copd,emphysema,diabetes,
hypertension,prior_cancer,family_history_lung_cancer,presenting_complaint
Yes/no columns accept true/false, yes/no or 1/0 (any case). Categories are the lower-case
spellings in gan_engine.patients.profile. Errors name the CSV line and column.
"""
from __future__ import annotations

import csv
import os
from types import SimpleNamespace
from pathlib import Path
from typing import Sequence

from gan_engine.patients.columns import COLUMN_NAMES
from gan_engine.patients.profile import COMORBIDITIES, PatientProfile, profile_problems

_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}
MAX_REPORTED_ERRORS = 20


class PatientCSVError(ValueError):
    """A patient CSV that cannot be used; `errors` lists every problem found (line, column, why)."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        shown = errors[:MAX_REPORTED_ERRORS]
        more = len(errors) - len(shown)
        super().__init__("; ".join(shown) + (f"; and {more} more" if more else ""))


def _parse(name: str, text: str) -> object:
    value = text.strip()
    if name == "age_years":
        number = float(value)
        if not number.is_integer():
            raise ValueError(f"expected whole years, got {text!r}")
        return int(number)
    if name in ("pack_years", "years_since_quit"):
        number = float(value)
        if number != number:  # NaN
            raise ValueError("expected a number, got NaN")
        return number
    if name in COMORBIDITIES:
        low = value.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError(f"expected true/false, yes/no or 1/0, got {text!r}")
    return value.lower()


def read_patient_csv(path: str | os.PathLike[str]) -> list[PatientProfile]:
    """Profiles from a CSV file; raises PatientCSVError listing missing/extra columns or bad values."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in COLUMN_NAMES if c not in header]
        extra = [c for c in header if c not in COLUMN_NAMES]
        if missing or extra or not header:
            errors = []
            if missing:
                errors.append(f"missing columns: {', '.join(missing)}")
            if extra:
                errors.append(f"unexpected columns: {', '.join(extra)}")
            raise PatientCSVError(errors or ["the file has no header row"])
        reader.fieldnames = header
        profiles: list[PatientProfile] = []
        errors = []
        for row in reader:
            line = reader.line_num
            values: dict[str, object] = {}
            for name in COLUMN_NAMES:
                text = row.get(name)
                if text is None or text.strip() == "":
                    errors.append(f"line {line}, column {name}: empty value")
                    continue
                try:
                    values[name] = _parse(name, text)
                except ValueError as exc:
                    errors.append(f"line {line}, column {name}: {exc}")
            if len(values) != len(COLUMN_NAMES):
                continue
            # Collect every rule broken, not only the first one the constructor would raise.
            problems = profile_problems(SimpleNamespace(**values))
            if problems:
                errors += [f"line {line}: {p}" for p in problems]
                continue
            profiles.append(PatientProfile(**values))  # type: ignore[arg-type]
    if errors:
        raise PatientCSVError(errors)
    if not profiles:
        raise PatientCSVError(["the file has no data rows"])
    return profiles


def write_patient_csv(profiles: Sequence[PatientProfile], path: str | os.PathLike[str]) -> Path:
    """Write profiles in the format read_patient_csv reads (booleans as true/false)."""
    out = Path(path)
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMN_NAMES)
        for p in profiles:
            row = []
            for name in COLUMN_NAMES:
                v = getattr(p, name)
                row.append(("true" if v else "false") if isinstance(v, bool) else v)
            writer.writerow(row)
    return out

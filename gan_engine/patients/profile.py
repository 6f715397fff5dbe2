"""A synthetic patient profile: the clinical context shown next to a synthetic image.

Field names and category spellings here are the contract for the patient CSV, the tabular GAN,
the platform and the DICOM export. Append new categories at the end; never reorder.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from gan_engine.records import from_record

SEXES: tuple[str, ...] = ("female", "male")
SMOKING_STATUSES: tuple[str, ...] = ("never", "former", "current")
# Yes/no history items, in the order the history text lists them.
COMORBIDITIES: tuple[str, ...] = (
    "copd",
    "emphysema",
    "diabetes",
    "hypertension",
    "prior_cancer",                 # any earlier (non-lung) primary cancer
    "family_history_lung_cancer",   # lung cancer in a first-degree relative
)
PRESENTING_COMPLAINTS: tuple[str, ...] = (
    "screening",     # low-dose CT lung cancer screening
    "incidental",    # CT done for another reason
    "cough",
    "dyspnoea",
    "haemoptysis",
    "chest_pain",
    "weight_loss",
)

# Adults only; the reference cohort spans 35..85 (Fleischner 2017 applies from 35 years).
MIN_AGE_YEARS = 18
MAX_AGE_YEARS = 100
MAX_PACK_YEARS = 200.0


@dataclass(frozen=True)
class PatientProfile:
    """One synthetic patient.

    age_years:        whole years, MIN_AGE_YEARS..MAX_AGE_YEARS.
    sex:              one of SEXES.
    smoking_status:   one of SMOKING_STATUSES.
    pack_years:       packs/day x years smoked; 0 for never-smokers, > 0 otherwise.
    years_since_quit: years since stopping; > 0 only for former smokers, 0 otherwise.
    copd ... family_history_lung_cancer: see COMORBIDITIES.
    presenting_complaint: one of PRESENTING_COMPLAINTS.
    """

    age_years: int
    sex: str
    smoking_status: str
    pack_years: float = 0.0
    years_since_quit: float = 0.0
    copd: bool = False
    emphysema: bool = False
    diabetes: bool = False
    hypertension: bool = False
    prior_cancer: bool = False
    family_history_lung_cancer: bool = False
    presenting_complaint: str = "incidental"

    def __post_init__(self) -> None:
        for problem in profile_problems(self):
            raise ValueError(problem)

    @property
    def female(self) -> bool:
        """True for sex == "female" (the Brock model's sex term)."""
        return self.sex == "female"

    @property
    def ever_smoker(self) -> bool:
        """True for former and current smokers."""
        return self.smoking_status != "never"

    @property
    def history(self) -> str:
        """The clinical-note history built from the fields (see gan_engine.patients.history)."""
        from gan_engine.patients.history import history_text

        return history_text(self)

    def to_dict(self) -> dict[str, Any]:
        """Field name -> value (JSON-ready)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "PatientProfile":
        """Inverse of to_dict; unknown keys are an error."""
        return from_record(cls, data, what="profile")


def profile_problems(p: Any) -> list[str]:
    """Every way `p` (a PatientProfile, or any object with its attributes) breaks the field rules.

    Returns sentences; empty when the profile is valid.
    """
    problems: list[str] = []
    if isinstance(p.age_years, bool) or not isinstance(p.age_years, int):
        problems.append(f"age_years must be a whole number of years, got {p.age_years!r}")
    elif not MIN_AGE_YEARS <= p.age_years <= MAX_AGE_YEARS:
        problems.append(f"age_years must lie in {MIN_AGE_YEARS}..{MAX_AGE_YEARS}, got {p.age_years}")
    if p.sex not in SEXES:
        problems.append(f"sex must be one of {', '.join(SEXES)}, got {p.sex!r}")
    if p.smoking_status not in SMOKING_STATUSES:
        problems.append(
            f"smoking_status must be one of {', '.join(SMOKING_STATUSES)}, got {p.smoking_status!r}"
        )
    if p.presenting_complaint not in PRESENTING_COMPLAINTS:
        problems.append(
            f"presenting_complaint must be one of {', '.join(PRESENTING_COMPLAINTS)}, "
            f"got {p.presenting_complaint!r}"
        )
    for name in COMORBIDITIES:
        if not isinstance(getattr(p, name), bool):
            problems.append(f"{name} must be true or false, got {getattr(p, name)!r}")
    if not 0.0 <= p.pack_years <= MAX_PACK_YEARS:
        problems.append(f"pack_years must lie in 0..{MAX_PACK_YEARS:g}, got {p.pack_years}")
    if p.years_since_quit < 0:
        problems.append(f"years_since_quit must not be negative, got {p.years_since_quit}")
    if p.smoking_status == "never" and p.pack_years != 0:
        problems.append(f"a never-smoker has 0 pack-years, got {p.pack_years}")
    if p.smoking_status in ("former", "current") and p.pack_years <= 0:
        problems.append(f"a {p.smoking_status} smoker has pack_years > 0, got {p.pack_years}")
    if p.smoking_status != "former" and p.years_since_quit != 0:
        problems.append(
            f"years_since_quit is 0 unless smoking_status is former, got {p.years_since_quit}"
        )
    if p.smoking_status == "former" and p.years_since_quit <= 0:
        problems.append(f"a former smoker has years_since_quit > 0, got {p.years_since_quit}")
    if isinstance(p.age_years, int) and p.years_since_quit >= p.age_years:
        problems.append(
            f"years_since_quit ({p.years_since_quit}) must be less than age ({p.age_years})"
        )
    return problems

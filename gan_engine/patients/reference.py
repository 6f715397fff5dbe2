"""The default reference cohort: an explicit generative model of synthetic patients.

The probabilities live in gan_engine/reference/reference_cohort.json, each with its source
(published figure or labelled design choice); docs/patients.md explains them. Sources:
  - NLST: Aberle et al., "Reduced lung-cancer mortality with low-dose computed tomographic
    screening", NEJM 2011;365:395-409 (sex, age profile, current/former split, pack-years).
  - COPD by smoking status: Halbert et al., Eur Respir J 2006;28:523-532.
  - Diabetes by age: CDC National Diabetes Statistics Report 2020.
  - Hypertension by age: Ostchega et al., NCHS Data Brief 364, 2020 (NHANES 2017-2018).
  - Screening eligibility: USPSTF 2021, JAMA 2021;325:962-970.

Sampling order (each step conditions only on earlier ones):
sex -> age -> smoking status -> pack-years (age-capped) -> years since quitting -> COPD ->
emphysema -> diabetes, hypertension, prior cancer (age) -> family history -> presenting complaint.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from gan_engine.patients.profile import PatientProfile


@lru_cache(maxsize=1)
def load_reference_definition() -> dict[str, Any]:
    """The reference cohort definition (probabilities + sources) from reference_cohort.json."""
    text = resources.files("gan_engine.reference").joinpath("reference_cohort.json").read_text("utf-8")
    return json.loads(text)


def _band_probability(bands: list[list[int]], probabilities: list[float], age: int) -> float:
    for (low, high), p in zip(bands, probabilities):
        if low <= age <= high:
            return float(p)
    raise ValueError(f"age {age} lies in no band of {bands}")


def max_pack_years(age_years: int, definition: dict[str, Any] | None = None) -> float:
    """Most pack-years possible at this age: packs/day cap x (age - start age), in [min, max]."""
    d = (definition or load_reference_definition())["pack_years"]
    years_smoked = max(age_years - d["smoking_start_age"], 1)
    return min(max(d["max_packs_per_day"] * years_smoked, d["min"]), d["max"])


def screening_eligible(age_years: int, smoking_status: str, pack_years: float,
                       years_since_quit: float, definition: dict[str, Any] | None = None) -> bool:
    """USPSTF 2021 lung screening eligibility (age 50-80, >= 20 pack-years, quit <= 15 years)."""
    rule = (definition or load_reference_definition())["presenting_complaint"]["screening_eligibility"]
    if smoking_status == "never" or not rule["min_age"] <= age_years <= rule["max_age"]:
        return False
    if pack_years < rule["min_pack_years"]:
        return False
    return smoking_status == "current" or years_since_quit <= rule["max_years_since_quit"]


def sample_reference_profile(rng: np.random.Generator,
                             definition: dict[str, Any] | None = None) -> PatientProfile:
    """Draw one patient from the reference cohort model (see the module docstring for the order)."""
    d = definition or load_reference_definition()
    sex = "male" if rng.random() < d["sex"]["p_male"] else "female"

    bands = d["age_bands"]
    low, high = bands["bands"][rng.choice(len(bands["bands"]), p=bands["probabilities"])]
    age = int(rng.integers(low, high + 1))

    smoking = d["smoking_status"]
    status = str(rng.choice(smoking["categories"], p=smoking["probabilities"]))

    pack_years, years_since_quit = 0.0, 0.0
    if status != "never":
        py = d["pack_years"]
        draw = py["lognormal_median"] * np.exp(py["lognormal_sigma"] * rng.standard_normal())
        pack_years = float(np.clip(round(draw), py["min"], max_pack_years(age, d)))
    if status == "former":
        q = d["years_since_quit"]
        years_since_quit = float(rng.integers(q["min"], max(min(q["max"], age - 20), q["min"]) + 1))

    copd = bool(rng.random() < d["copd"]["p_by_smoking_status"][status])
    e = d["emphysema"]
    p_emph = e["p_given_copd"] if copd else e["p_without_copd_by_smoking_status"][status]
    emphysema = bool(rng.random() < p_emph)

    def by_age(key: str) -> bool:
        return bool(rng.random() < _band_probability(d[key]["age_bands"], d[key]["probabilities"], age))

    diabetes = by_age("diabetes")
    hypertension = by_age("hypertension")
    prior_cancer = by_age("prior_cancer")
    family = bool(rng.random() < d["family_history_lung_cancer"]["p_by_smoking_status"][status])

    pc = d["presenting_complaint"]
    if (screening_eligible(age, status, pack_years, years_since_quit, d)
            and rng.random() < pc["p_screening_if_eligible"]):
        complaint = "screening"
    else:
        other = pc["otherwise"]
        probs = other["probabilities_with_copd"] if copd else other["probabilities"]
        complaint = str(rng.choice(other["categories"], p=probs))

    return PatientProfile(
        age_years=age, sex=sex, smoking_status=status, pack_years=pack_years,
        years_since_quit=years_since_quit, copd=copd, emphysema=emphysema, diabetes=diabetes,
        hypertension=hypertension, prior_cancer=prior_cancer, family_history_lung_cancer=family,
        presenting_complaint=complaint,
    )


def sample_reference_cohort(n: int, seed: int = 0) -> list[PatientProfile]:
    """`n` independent patients from the default reference cohort; the same seed gives the same list."""
    if n < 0:
        raise ValueError(f"n must not be negative, got {n}")
    rng = np.random.default_rng(seed)
    definition = load_reference_definition()
    return [sample_reference_profile(rng, definition) for _ in range(n)]

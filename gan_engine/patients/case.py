"""A teaching case drawn for a patient: the image condition plus the answers a reader should give.

`draw_case(profile, rng)` draws the finding GIVEN the profile from the documented tables in
gan_engine/reference/case_tables.json (smoking stratum -> finding type, size, upper lobe, count;
size -> spiculation), then computes the teaching answers:
  - Brock (PanCan) malignancy risk, McWilliams et al., NEJM 2013 (gan_engine.patients.brock);
  - Fleischner 2017 follow-up, MacMahon et al., Radiology 2017 (gan_engine.patients.fleischner).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from gan_engine.conditions import Condition, diameter_mm_to_severity
from gan_engine.patients.brock import brock_malignancy_risk
from gan_engine.patients.fleischner import (
    FleischnerRecommendation,
    fleischner_high_risk,
    fleischner_not_applicable_reason,
    fleischner_recommendation,
)
from gan_engine.patients.profile import PatientProfile

_TYPE_WORDS = {
    "solid_nodule": "solid nodule",
    "part_solid_nodule": "part-solid nodule",
    "ground_glass_nodule": "pure ground-glass nodule",
}


@lru_cache(maxsize=1)
def load_case_tables() -> dict[str, Any]:
    """The conditional tables (finding | profile) from gan_engine/reference/case_tables.json."""
    text = resources.files("gan_engine.reference").joinpath("case_tables.json").read_text("utf-8")
    return json.loads(text)


@dataclass(frozen=True)
class TeachingCase:
    """A finding drawn for a patient and its teaching answers.

    condition:     what the image generator is asked for (finding, severity, x, y).
    diameter_mm:   nodule diameter (mm); severity = diameter_mm_to_severity(diameter_mm). 0 if normal.
    nodule_count:  nodules on the scan (the imaged one included); 0 if normal.
    upper_lobe:    the imaged nodule lies in an upper lobe (a reported attribute, not image position).
    right_lung:    the nodule is in the patient's right lung (left half of the axial image).
    spiculated:    spiculated margin.
    high_risk:     Fleischner patient risk group (fleischner_high_risk).
    brock_risk:    malignancy probability 0..1 (Brock full model); None if normal.
    fleischner:    follow-up recommendation; None if normal.
    """

    condition: Condition
    diameter_mm: float
    nodule_count: int
    upper_lobe: bool
    right_lung: bool
    spiculated: bool
    high_risk: bool
    brock_risk: float | None
    fleischner: FleischnerRecommendation | None

    @property
    def answer_text(self) -> str:
        """One paragraph for the teaching answer key."""
        if self.brock_risk is None or self.fleischner is None:
            return "No pulmonary nodule. No nodule follow-up is indicated."
        side = "right" if self.right_lung else "left"
        lobe = f"{side} upper lobe" if self.upper_lobe else f"{side} lung, middle/lower zone"
        margin = ", spiculated" if self.spiculated else ""
        others = self.nodule_count - 1
        extra = f"; {others} other nodule{'s' if others > 1 else ''}" if others else ""
        return (
            f"{self.diameter_mm:.1f} mm {_TYPE_WORDS[self.condition.finding]}{margin}, {lobe}{extra}. "
            f"Brock malignancy risk {100 * self.brock_risk:.1f}%. "
            f"Fleischner 2017 ({'high' if self.high_risk else 'low'}-risk patient): "
            f"{self.fleischner.text}"
        )

    def to_dict(self) -> dict[str, Any]:
        """The case's findings and answers, JSON-ready (diameter in mm, Brock risk 0..1).

        The condition is left out: the image records the condition it was rendered with, which
        placement may have moved from the drawn one (see Samples.moved_into_lung).
        """
        return {"diameter_mm": self.diameter_mm, "nodule_count": self.nodule_count, "upper_lobe": self.upper_lobe,
                "right_lung": self.right_lung, "spiculated": self.spiculated, "high_risk": self.high_risk,
                "brock_risk": self.brock_risk,
                "fleischner": None if self.fleischner is None else asdict(self.fleischner),
                "answer": self.answer_text}


def smoking_stratum(profile: PatientProfile, tables: dict[str, Any] | None = None) -> str:
    """'never', 'light' (< 20 pack-years) or 'heavy' (>= 20 pack-years) for the case tables."""
    t = tables or load_case_tables()
    if profile.smoking_status == "never":
        return "never"
    return "heavy" if profile.pack_years >= t["heavy_pack_years"] else "light"


def spiculation_probability(diameter_mm: float, tables: dict[str, Any] | None = None) -> float:
    """P(spiculated margin) for a nodule of this diameter (mm), from the size-band table."""
    s = (tables or load_case_tables())["spiculation"]
    for edge, p in zip(s["upper_edges_mm"], s["probabilities"]):
        if diameter_mm < edge:
            return float(p)
    return float(s["probabilities"][-1])


def draw_case(profile: PatientProfile, rng: np.random.Generator,
              finding: str | None = None) -> TeachingCase:
    """Draw a finding for `profile` from the case tables and compute Brock risk and Fleischner advice.

    finding: force the finding class (e.g. for a balanced reader study); drawn from the
             profile's smoking stratum when None. Sizes are drawn in mm, clipped to the
             condition range 4..30 mm and rounded to 0.1 mm.
    """
    t = load_case_tables()
    stratum = smoking_stratum(profile, t)
    classes = t["finding"]["classes"]
    if finding is None:
        finding = str(rng.choice(classes, p=t["finding"]["probabilities"][stratum]))
    condition_check = Condition(finding=finding)  # validates the name early
    high_risk = fleischner_high_risk(
        smoking_status=profile.smoking_status, pack_years=profile.pack_years,
        family_history=profile.family_history_lung_cancer, emphysema=profile.emphysema,
    )
    if not condition_check.has_lesion:
        return TeachingCase(condition=condition_check, diameter_mm=0.0, nodule_count=0,
                            upper_lobe=False, right_lung=False, spiculated=False,
                            high_risk=high_risk, brock_risk=None, fleischner=None)

    d = t["diameter"]
    median = d["lognormal_median_mm"][stratum][finding]
    diameter = median * float(np.exp(d["lognormal_sigma"] * rng.standard_normal()))
    diameter = round(float(np.clip(diameter, d["min_mm"], d["max_mm"])), d["decimals"])
    spiculated = bool(rng.random() < spiculation_probability(diameter, t))
    upper_lobe = bool(rng.random() < t["upper_lobe"][stratum])
    count = 1 + int(rng.poisson(t["extra_nodules_poisson_mean"][stratum]))
    right_lung = bool(rng.random() < 0.5)
    pos = t["position"]
    x_low, x_high = pos["right_lung_x"] if right_lung else pos["left_lung_x"]
    x = float(rng.uniform(x_low, x_high))
    y = float(rng.uniform(*pos["y"]))
    condition = Condition(finding=finding, severity=diameter_mm_to_severity(diameter), x=x, y=y)

    risk = brock_malignancy_risk(
        age_years=profile.age_years, female=profile.female,
        family_history=profile.family_history_lung_cancer, emphysema=profile.emphysema,
        diameter_mm=diameter, nodule_type=finding, upper_lobe=upper_lobe, nodule_count=count,
        spiculation=spiculated,
    )
    reason = fleischner_not_applicable_reason(
        age_years=profile.age_years, prior_cancer=profile.prior_cancer,
        screening=profile.presenting_complaint == "screening",
    )
    if reason is not None:
        advice = FleischnerRecommendation(applicable=False, row=None, text=reason)
    else:
        advice = fleischner_recommendation(nodule_type=finding, diameter_mm=diameter,
                                           multiple=count > 1, high_risk=high_risk)
    return TeachingCase(condition=condition, diameter_mm=diameter, nodule_count=count,
                        upper_lobe=upper_lobe, right_lung=right_lung, spiculated=spiculated,
                        high_risk=high_risk, brock_risk=risk, fleischner=advice)

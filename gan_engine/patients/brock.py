"""Brock University (PanCan) nodule malignancy risk, full model with spiculation.

McWilliams A, Tammemagi MC, Mayo JR, et al. "Probability of cancer in pulmonary nodules detected
on first screening CT." N Engl J Med 2013;369:910-919 (supplementary appendix, full model 2b).

    logit = 0.0287 (age - 62)                                    age in years
          + 0.6011 [female] + 0.2961 [family history of lung cancer] + 0.2953 [emphysema]
          - 5.3854 ((size / 10) ** -0.5 - 1.58113883)            size = maximum diameter, mm
          + {solid: 0, part-solid: 0.377, non-solid (ground glass): -0.1276}
          + 0.6581 [upper lobe] - 0.0824 (nodule count - 4) + 0.7729 [spiculation]
          - 6.7892
    risk  = 1 / (1 + exp(-logit))

The centring constants are the paper's: age 62 years, count 4 nodules, and 1.58113883 =
(4 / 10) ** -0.5, i.e. size centred at 4 mm.
"""
from __future__ import annotations

import math

INTERCEPT = -6.7892
AGE_PER_YEAR = 0.0287
AGE_CENTRE_YEARS = 62.0
FEMALE = 0.6011
FAMILY_HISTORY = 0.2961
EMPHYSEMA = 0.2953
SIZE = -5.3854
SIZE_CENTRE = 1.58113883  # (4 mm / 10) ** -0.5
NODULE_TYPE = {
    "solid_nodule": 0.0,
    "part_solid_nodule": 0.377,
    "ground_glass_nodule": -0.1276,  # "non-solid" in the paper
}
UPPER_LOBE = 0.6581
COUNT_PER_NODULE = -0.0824
COUNT_CENTRE = 4.0
SPICULATION = 0.7729


def brock_logit(*, age_years: float, female: bool, family_history: bool, emphysema: bool,
                diameter_mm: float, nodule_type: str, upper_lobe: bool, nodule_count: int,
                spiculation: bool) -> float:
    """Linear predictor (log-odds of cancer) of the Brock full model; see the module docstring.

    diameter_mm: maximum nodule diameter (mm), > 0. nodule_type: a lesion name from
    gan_engine.conditions.FINDING_CLASSES. nodule_count: nodules on the scan, >= 1.
    """
    if diameter_mm <= 0:
        raise ValueError(f"diameter_mm must be positive, got {diameter_mm}")
    if nodule_count < 1:
        raise ValueError(f"nodule_count must be at least 1, got {nodule_count}")
    try:
        type_term = NODULE_TYPE[nodule_type]
    except KeyError:
        raise ValueError(
            f"nodule_type must be one of {', '.join(NODULE_TYPE)}, got {nodule_type!r}"
        ) from None
    return (
        INTERCEPT
        + AGE_PER_YEAR * (age_years - AGE_CENTRE_YEARS)
        + FEMALE * female
        + FAMILY_HISTORY * family_history
        + EMPHYSEMA * emphysema
        + SIZE * ((diameter_mm / 10.0) ** -0.5 - SIZE_CENTRE)
        + type_term
        + UPPER_LOBE * upper_lobe
        + COUNT_PER_NODULE * (nodule_count - COUNT_CENTRE)
        + SPICULATION * spiculation
    )


def brock_malignancy_risk(*, age_years: float, female: bool, family_history: bool,
                          emphysema: bool, diameter_mm: float, nodule_type: str, upper_lobe: bool,
                          nodule_count: int, spiculation: bool) -> float:
    """Probability (0..1) that the nodule is malignant, Brock/PanCan full model (McWilliams 2013)."""
    logit = brock_logit(
        age_years=age_years, female=female, family_history=family_history, emphysema=emphysema,
        diameter_mm=diameter_mm, nodule_type=nodule_type, upper_lobe=upper_lobe,
        nodule_count=nodule_count, spiculation=spiculation,
    )
    return 1.0 / (1.0 + math.exp(-logit))

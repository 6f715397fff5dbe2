"""Fleischner Society 2017 follow-up recommendations for incidental pulmonary nodules.

MacMahon H, Naidich DP, Goo JM, et al. "Guidelines for Management of Incidental Pulmonary
Nodules Detected on CT Images: From the Fleischner Society 2017." Radiology 2017;284:228-243,
Table 1 (solid nodules, part A; subsolid nodules, part B).

Size is the average of long and short axis diameters rounded to the nearest millimetre (the
paper's rule); bands: solid < 6 mm, 6-8 mm, > 8 mm; subsolid < 6 mm, >= 6 mm. The guideline does
not apply to lung cancer screening, patients younger than 35 years, patients with a known
primary cancer or immunosuppression.
"""
from __future__ import annotations

from dataclasses import dataclass

SOLID = "solid_nodule"
PART_SOLID = "part_solid_nodule"
GROUND_GLASS = "ground_glass_nodule"

# Table 1 of MacMahon 2017, laid out as printed: solid nodules by (multiplicity, size band) with a
# low-risk and a high-risk column; subsolid nodules, whose rows do not depend on risk.
SOLID_ROWS: dict[tuple[str, str], tuple[str, str]] = {
    ("single", "<6"): ("No routine follow-up.", "Optional CT at 12 months."),
    ("single", "6-8"): ("CT at 6-12 months, then consider CT at 18-24 months.",
                        "CT at 6-12 months, then CT at 18-24 months."),
    ("single", ">8"): ("Consider CT at 3 months, PET/CT, or tissue sampling.",) * 2,
    ("multiple", "<6"): ("No routine follow-up.", "Optional CT at 12 months."),
    ("multiple", "6-8"): ("CT at 3-6 months, then consider CT at 18-24 months.",
                          "CT at 3-6 months, then at 18-24 months."),
    ("multiple", ">8"): ("CT at 3-6 months, then consider CT at 18-24 months.",
                         "CT at 3-6 months, then at 18-24 months."),
}
SUBSOLID_ROWS: dict[tuple[str, str, str], str] = {
    ("ground_glass", "single", "<6"): "No routine follow-up.",
    ("ground_glass", "single", ">=6"):
        "CT at 6-12 months to confirm persistence, then CT every 2 years until 5 years.",
    ("part_solid", "single", "<6"): "No routine follow-up.",
    ("part_solid", "single", ">=6"):
        "CT at 3-6 months to confirm persistence. If unchanged and solid component remains "
        "<6 mm, annual CT should be performed for 5 years.",
    ("subsolid", "multiple", "<6"): "CT at 3-6 months. If stable, consider CT at 2 and 4 years.",
    ("subsolid", "multiple", ">=6"): "CT at 3-6 months. Subsequent management based on the most suspicious nodule(s).",
}
# (nodule kind, multiplicity, size band, risk) -> recommendation text; subsolid rows have risk "any".
TABLE: dict[tuple[str, str, str, str], str] = {
    **{("solid", count, band, risk): text for (count, band), texts in SOLID_ROWS.items()
       for risk, text in zip(("low", "high"), texts)},
    **{(kind, count, band, "any"): text for (kind, count, band), text in SUBSOLID_ROWS.items()},
}


@dataclass(frozen=True)
class FleischnerRecommendation:
    """One answer from the Fleischner 2017 table.

    applicable: False when the guideline does not apply (then `row` is None and `text` says why).
    row:        the TABLE key used, e.g. ("solid", "single", "6-8", "high").
    text:       the recommendation as printed in the paper's table (or why it does not apply).
    """

    applicable: bool
    row: tuple[str, str, str, str] | None
    text: str


def rounded_size_mm(diameter_mm: float) -> int:
    """Diameter rounded to the nearest whole mm, halves upwards (MacMahon 2017 measurement rule)."""
    return int(diameter_mm + 0.5)


def fleischner_row(*, nodule_type: str, diameter_mm: float, multiple: bool,
                   high_risk: bool) -> tuple[str, str, str, str]:
    """The TABLE key for a nodule: kind, single/multiple, size band, risk (see module docstring)."""
    if nodule_type not in (SOLID, PART_SOLID, GROUND_GLASS):
        raise ValueError(f"nodule_type must be a lesion class, got {nodule_type!r}")
    if diameter_mm <= 0:
        raise ValueError(f"diameter_mm must be positive, got {diameter_mm}")
    size = rounded_size_mm(diameter_mm)
    count = "multiple" if multiple else "single"
    if nodule_type == SOLID:
        band = "<6" if size < 6 else ("6-8" if size <= 8 else ">8")
        return ("solid", count, band, "high" if high_risk else "low")
    band = "<6" if size < 6 else ">=6"
    if multiple:
        return ("subsolid", count, band, "any")
    kind = "ground_glass" if nodule_type == GROUND_GLASS else "part_solid"
    return (kind, count, band, "any")


def fleischner_recommendation(*, nodule_type: str, diameter_mm: float, multiple: bool,
                              high_risk: bool) -> FleischnerRecommendation:
    """Follow-up for an incidental nodule, Fleischner 2017 Table 1 (MacMahon et al., Radiology 2017).

    nodule_type: "solid_nodule", "part_solid_nodule" or "ground_glass_nodule".
    diameter_mm: average diameter (mm); rounded to the nearest mm before banding.
    multiple:    more than one nodule (management follows the most suspicious one).
    high_risk:   patient risk group (see `fleischner_high_risk`); used for solid nodules only.
    """
    row = fleischner_row(nodule_type=nodule_type, diameter_mm=diameter_mm, multiple=multiple,
                         high_risk=high_risk)
    return FleischnerRecommendation(applicable=True, row=row, text=TABLE[row])


def fleischner_not_applicable_reason(*, age_years: int, prior_cancer: bool,
                                     screening: bool) -> str | None:
    """Why the guideline does not apply to this patient, or None if it does (MacMahon 2017)."""
    if age_years < 35:
        return "Fleischner 2017 does not apply to patients younger than 35 years."
    if prior_cancer:
        return "Fleischner 2017 does not apply to patients with a known primary cancer."
    if screening:
        return "Fleischner 2017 does not apply to lung cancer screening (use Lung-RADS)."
    return None


def fleischner_high_risk(*, smoking_status: str, pack_years: float, family_history: bool,
                         emphysema: bool) -> bool:
    """Fleischner risk group: high unless smoking history is minimal and other risk factors absent.

    MacMahon 2017 names heavy smoking, first-degree family history of lung cancer and emphysema
    among the patient risk factors but gives no pack-year threshold; "minimal" smoking is
    operationalised here as never-smoker or a former smoker with < 10 pack-years (house choice,
    documented in docs/patients.md).
    """
    heavy = smoking_status == "current" or (smoking_status == "former" and pack_years >= 10)
    return heavy or family_history or emphysema

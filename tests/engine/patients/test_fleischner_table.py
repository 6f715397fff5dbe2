"""Fleischner Society 2017 (MacMahon et al., Radiology 2017, Table 1): one test per row."""
import pytest

from gan_engine.patients import (
    fleischner_high_risk,
    fleischner_not_applicable_reason,
    fleischner_recommendation,
)
from gan_engine.patients.fleischner import TABLE

SOLID, PART, GGN = "solid_nodule", "part_solid_nodule", "ground_glass_nodule"

ROWS = [
    # (nodule type, diameter mm, multiple, high risk) -> expected text, Table 1 A/B
    ((SOLID, 4.0, False, False), "No routine follow-up."),
    ((SOLID, 5.0, False, True), "Optional CT at 12 months."),
    ((SOLID, 7.0, False, False), "CT at 6-12 months, then consider CT at 18-24 months."),
    ((SOLID, 7.0, False, True), "CT at 6-12 months, then CT at 18-24 months."),
    ((SOLID, 12.0, False, False), "Consider CT at 3 months, PET/CT, or tissue sampling."),
    ((SOLID, 12.0, False, True), "Consider CT at 3 months, PET/CT, or tissue sampling."),
    ((SOLID, 4.0, True, False), "No routine follow-up."),
    ((SOLID, 4.0, True, True), "Optional CT at 12 months."),
    ((SOLID, 6.0, True, False), "CT at 3-6 months, then consider CT at 18-24 months."),
    ((SOLID, 6.0, True, True), "CT at 3-6 months, then at 18-24 months."),
    ((SOLID, 20.0, True, False), "CT at 3-6 months, then consider CT at 18-24 months."),
    ((SOLID, 20.0, True, True), "CT at 3-6 months, then at 18-24 months."),
    ((GGN, 5.0, False, True), "No routine follow-up."),
    ((GGN, 10.0, False, False),
     "CT at 6-12 months to confirm persistence, then CT every 2 years until 5 years."),
    ((PART, 5.0, False, True), "No routine follow-up."),
    ((PART, 10.0, False, False),
     "CT at 3-6 months to confirm persistence. If unchanged and solid component remains <6 mm, "
     "annual CT should be performed for 5 years."),
    ((GGN, 4.0, True, False), "CT at 3-6 months. If stable, consider CT at 2 and 4 years."),
    ((PART, 8.0, True, True),
     "CT at 3-6 months. Subsequent management based on the most suspicious nodule(s)."),
]


@pytest.mark.parametrize("args, expected", ROWS, ids=[f"{a[0]}-{a[1]}mm-m{a[2]:d}-hr{a[3]:d}" for a, _ in ROWS])
def test_each_table_row_gives_the_published_recommendation(args, expected):
    nodule_type, diameter, multiple, high_risk = args
    advice = fleischner_recommendation(nodule_type=nodule_type, diameter_mm=diameter,
                                       multiple=multiple, high_risk=high_risk)
    assert advice.applicable and advice.text == expected


def test_the_rows_above_cover_every_table_entry():
    used = {fleischner_recommendation(nodule_type=a[0], diameter_mm=a[1], multiple=a[2],
                                      high_risk=a[3]).row for a, _ in ROWS}
    assert used == set(TABLE)


@pytest.mark.parametrize("diameter, band", [(5.4, "<6"), (5.5, "6-8"), (8.4, "6-8"), (8.5, ">8")])
def test_sizes_are_rounded_to_the_nearest_millimetre_before_banding(diameter, band):
    advice = fleischner_recommendation(nodule_type=SOLID, diameter_mm=diameter, multiple=False,
                                       high_risk=False)
    assert advice.row[2] == band


def test_subsolid_risk_does_not_change_the_advice():
    low = fleischner_recommendation(nodule_type=GGN, diameter_mm=9, multiple=False, high_risk=False)
    high = fleischner_recommendation(nodule_type=GGN, diameter_mm=9, multiple=False, high_risk=True)
    assert low == high


def test_it_does_not_apply_to_the_young_to_known_cancer_or_to_screening():
    assert "35" in fleischner_not_applicable_reason(age_years=30, prior_cancer=False, screening=False)
    assert "cancer" in fleischner_not_applicable_reason(age_years=60, prior_cancer=True, screening=False)
    assert "screening" in fleischner_not_applicable_reason(age_years=60, prior_cancer=False, screening=True)
    assert fleischner_not_applicable_reason(age_years=60, prior_cancer=False, screening=False) is None


def test_low_risk_means_minimal_smoking_and_no_other_risk_factor():
    kw = dict(family_history=False, emphysema=False)
    assert not fleischner_high_risk(smoking_status="never", pack_years=0, **kw)
    assert not fleischner_high_risk(smoking_status="former", pack_years=9.5, **kw)
    assert fleischner_high_risk(smoking_status="former", pack_years=10, **kw)
    assert fleischner_high_risk(smoking_status="current", pack_years=2, **kw)
    assert fleischner_high_risk(smoking_status="never", pack_years=0, family_history=True, emphysema=False)
    assert fleischner_high_risk(smoking_status="never", pack_years=0, family_history=False, emphysema=True)

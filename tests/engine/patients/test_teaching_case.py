"""Cases drawn given a profile: coherent conditions and teaching answers."""
import json

import numpy as np
import pytest

from gan_engine.conditions import severity_to_diameter_mm
from gan_engine.patients import PatientProfile, brock_malignancy_risk, draw_case, fleischner_recommendation

HEAVY = PatientProfile(age_years=66, sex="male", smoking_status="current", pack_years=60.0,
                       emphysema=True, presenting_complaint="cough")
NEVER = PatientProfile(age_years=50, sex="female", smoking_status="never", presenting_complaint="incidental")


def test_the_condition_encodes_the_drawn_diameter():
    rng = np.random.default_rng(0)
    for _ in range(50):
        case = draw_case(HEAVY, rng)
        if case.condition.has_lesion:
            assert severity_to_diameter_mm(case.condition.severity) == pytest.approx(case.diameter_mm)
            assert 4.0 <= case.diameter_mm <= 30.0
            assert case.nodule_count >= 1


def test_the_answers_are_the_brock_and_fleischner_functions_applied_to_the_case():
    case = draw_case(HEAVY, np.random.default_rng(1), finding="solid_nodule")
    assert case.brock_risk == pytest.approx(brock_malignancy_risk(
        age_years=66, female=False, family_history=False, emphysema=True,
        diameter_mm=case.diameter_mm, nodule_type="solid_nodule", upper_lobe=case.upper_lobe,
        nodule_count=case.nodule_count, spiculation=case.spiculated))
    assert case.high_risk
    assert case.fleischner == fleischner_recommendation(
        nodule_type="solid_nodule", diameter_mm=case.diameter_mm,
        multiple=case.nodule_count > 1, high_risk=True)
    assert "Brock malignancy risk" in case.answer_text


def test_a_normal_case_has_no_nodule_answers():
    case = draw_case(NEVER, np.random.default_rng(2), finding="normal")
    assert not case.condition.has_lesion
    assert case.brock_risk is None and case.fleischner is None
    assert case.answer_text.startswith("No pulmonary nodule")
    assert case.to_dict()["fleischner"] is None and case.to_dict()["brock_risk"] is None


def test_a_case_as_a_dict_holds_its_findings_and_answers_in_json():
    case = draw_case(HEAVY, np.random.default_rng(1), finding="solid_nodule")
    data = json.loads(json.dumps(case.to_dict()))
    assert data == {"diameter_mm": case.diameter_mm, "nodule_count": case.nodule_count,
                    "upper_lobe": case.upper_lobe, "right_lung": case.right_lung, "spiculated": case.spiculated,
                    "high_risk": case.high_risk, "brock_risk": case.brock_risk,
                    "fleischner": {"applicable": case.fleischner.applicable, "row": list(case.fleischner.row),
                                   "text": case.fleischner.text},
                    "answer": case.answer_text}


def test_fleischner_is_withheld_for_screening_and_known_cancer():
    screened = PatientProfile(age_years=60, sex="male", smoking_status="current", pack_years=30.0,
                              presenting_complaint="screening")
    case = draw_case(screened, np.random.default_rng(3), finding="solid_nodule")
    assert not case.fleischner.applicable and "screening" in case.fleischner.text
    cancer = PatientProfile(age_years=60, sex="male", smoking_status="never", prior_cancer=True)
    case = draw_case(cancer, np.random.default_rng(3), finding="ground_glass_nodule")
    assert not case.fleischner.applicable


def test_heavy_smokers_get_larger_and_more_often_part_solid_nodules():
    rng = np.random.default_rng(4)
    heavy = [draw_case(HEAVY, rng) for _ in range(2000)]
    never = [draw_case(NEVER, rng) for _ in range(2000)]
    size = lambda cases: np.median([c.diameter_mm for c in cases if c.condition.finding == "solid_nodule"])
    part = lambda cases: np.mean([c.condition.finding == "part_solid_nodule" for c in cases])
    # Table medians: 7.5 mm (heavy) vs 5.5 mm (never); part-solid 10% vs 5% (4 SE apart at n=2000).
    assert size(heavy) == pytest.approx(7.5, abs=0.4)
    assert size(never) == pytest.approx(5.5, abs=0.4)
    assert part(heavy) > part(never)


def test_nodules_sit_in_a_lung_field_on_the_side_drawn():
    rng = np.random.default_rng(5)
    for _ in range(100):
        case = draw_case(HEAVY, rng, finding="solid_nodule")
        assert (case.condition.x < 0.5) == case.right_lung
        assert 0.35 <= case.condition.y <= 0.65


def test_the_same_generator_state_gives_the_same_case():
    assert draw_case(HEAVY, np.random.default_rng(9)) == draw_case(HEAVY, np.random.default_rng(9))

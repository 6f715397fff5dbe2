"""Brock (PanCan) full model against values worked by hand from McWilliams et al., NEJM 2013."""
import math

import pytest

from gan_engine.patients import brock_logit, brock_malignancy_risk

REFERENCE_NODULE = dict(age_years=62, female=False, family_history=False, emphysema=False,
                        diameter_mm=4.0, nodule_type="solid_nodule", upper_lobe=False,
                        nodule_count=4, spiculation=False)


def test_the_centred_reference_patient_scores_only_the_intercept():
    # Age 62, 4 mm, 4 nodules are the model's centring values: every term but -6.7892 vanishes.
    assert brock_logit(**REFERENCE_NODULE) == pytest.approx(-6.7892, abs=1e-9)
    # 1 / (1 + e^6.7892) = 1 / (1 + 888.25) = 0.0011246
    assert brock_malignancy_risk(**REFERENCE_NODULE) == pytest.approx(0.0011246, abs=1e-7)


def test_a_high_risk_spiculated_part_solid_nodule_matches_the_hand_computation():
    # 62-year-old woman, family history, emphysema, 10 mm part-solid upper-lobe spiculated, 1 nodule:
    # 0.6011 + 0.2961 + 0.2953 + (-5.3854)(1 - 1.58113883) + 0.377 + 0.6581
    #   + (-0.0824)(1 - 4) + 0.7729 - 6.7892 = -0.411835
    args = dict(age_years=62, female=True, family_history=True, emphysema=True, diameter_mm=10.0,
                nodule_type="part_solid_nodule", upper_lobe=True, nodule_count=1, spiculation=True)
    assert brock_logit(**args) == pytest.approx(-0.411835, abs=1e-5)
    assert brock_malignancy_risk(**args) == pytest.approx(0.398472, abs=1e-5)


def test_a_small_ground_glass_nodule_in_an_older_man_matches_the_hand_computation():
    # 70-year-old man, 6 mm non-solid, lower lobe, 2 nodules:
    # 0.0287*8 + (-5.3854)(0.6^-0.5 - 1.58113883) - 0.1276 + (-0.0824)(2 - 4) - 6.7892 = -4.95986
    args = dict(age_years=70, female=False, family_history=False, emphysema=False, diameter_mm=6.0,
                nodule_type="ground_glass_nodule", upper_lobe=False, nodule_count=2,
                spiculation=False)
    assert brock_logit(**args) == pytest.approx(-4.95986, abs=1e-4)
    assert brock_malignancy_risk(**args) == pytest.approx(0.006965, abs=1e-6)


@pytest.mark.parametrize("field, coefficient", [
    ("female", 0.6011), ("family_history", 0.2961), ("emphysema", 0.2953),
    ("upper_lobe", 0.6581), ("spiculation", 0.7729),
])
def test_each_yes_no_predictor_adds_its_published_coefficient(field, coefficient):
    delta = brock_logit(**{**REFERENCE_NODULE, field: True}) - brock_logit(**REFERENCE_NODULE)
    assert delta == pytest.approx(coefficient, abs=1e-12)


def test_risk_grows_with_size_and_falls_with_nodule_count():
    small = brock_malignancy_risk(**REFERENCE_NODULE)
    large = brock_malignancy_risk(**{**REFERENCE_NODULE, "diameter_mm": 20.0})
    many = brock_malignancy_risk(**{**REFERENCE_NODULE, "nodule_count": 10})
    assert large > small > many
    assert math.isclose(brock_logit(**{**REFERENCE_NODULE, "nodule_count": 5})
                        - brock_logit(**REFERENCE_NODULE), -0.0824)


def test_it_rejects_an_unknown_nodule_type_and_a_zero_size():
    with pytest.raises(ValueError, match="nodule_type"):
        brock_logit(**{**REFERENCE_NODULE, "nodule_type": "normal"})
    with pytest.raises(ValueError, match="diameter_mm"):
        brock_logit(**{**REFERENCE_NODULE, "diameter_mm": 0.0})

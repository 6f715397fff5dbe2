"""The default reference cohort reproduces its documented figures within sampling error.

Tolerance: 4 standard errors of a proportion, sqrt(p (1 - p) / n), for n = 10,000 draws (or the
size of the subgroup); a correct sampler fails one such check about once in 16,000 runs.
"""
import math

import numpy as np
import pytest

from gan_engine.patients import load_reference_definition, sample_reference_cohort, screening_eligible

N = 10_000


@pytest.fixture(scope="module")
def cohort():
    return sample_reference_cohort(N, seed=2026)


@pytest.fixture(scope="module")
def definition():
    return load_reference_definition()


def assert_rate(flags, expected):
    flags = np.asarray(flags, dtype=float)
    se = math.sqrt(expected * (1 - expected) / len(flags))
    assert abs(flags.mean() - expected) < 4 * se, (flags.mean(), expected, len(flags))


def test_sex_follows_the_nlst_proportion_of_men(cohort, definition):
    assert definition["sex"]["p_male"] == 0.59
    assert_rate([p.sex == "male" for p in cohort], 0.59)


def test_smoking_status_follows_the_documented_split(cohort):
    for status, expected in zip(("never", "former", "current"), (0.30, 0.363, 0.337)):
        assert_rate([p.smoking_status == status for p in cohort], expected)


@pytest.mark.parametrize("status, expected", [("never", 0.043), ("former", 0.107), ("current", 0.154)])
def test_copd_given_smoking_status_matches_halbert_2006(cohort, status, expected):
    assert_rate([p.copd for p in cohort if p.smoking_status == status], expected)


def test_never_smokers_have_zero_pack_years_and_ever_smokers_some(cohort):
    assert all(p.pack_years == 0 and p.years_since_quit == 0 for p in cohort if p.smoking_status == "never")
    assert all(p.pack_years >= 1 for p in cohort if p.ever_smoker)
    assert all(p.years_since_quit >= 1 for p in cohort if p.smoking_status == "former")


def test_pack_years_of_ever_smokers_have_the_nlst_median_of_48(cohort):
    packs = np.array([p.pack_years for p in cohort if p.ever_smoker])
    # Log-normal median 48: the sample median of ~7,000 draws lies within +-3 pack-years.
    assert abs(np.median(packs) - 48) <= 3


@pytest.mark.parametrize("low, high, expected", [(18, 44, 0.042), (45, 64, 0.175), (65, 200, 0.268)])
def test_diabetes_by_age_matches_the_cdc_report(cohort, low, high, expected):
    assert_rate([p.diabetes for p in cohort if low <= p.age_years <= high], expected)


@pytest.mark.parametrize("low, high, expected", [(18, 39, 0.224), (40, 59, 0.545), (60, 200, 0.745)])
def test_hypertension_by_age_matches_nhanes_2017_2018(cohort, low, high, expected):
    assert_rate([p.hypertension for p in cohort if low <= p.age_years <= high], expected)


def test_emphysema_given_copd_is_the_documented_sixty_percent(cohort):
    assert_rate([p.emphysema for p in cohort if p.copd], 0.60)


def test_ages_stay_within_35_to_85_and_follow_the_age_bands(cohort):
    ages = np.array([p.age_years for p in cohort])
    assert ages.min() >= 35 and ages.max() <= 85
    assert_rate(ages <= 59, 0.05 + 0.12 + 0.28)


def test_only_uspstf_eligible_patients_are_referred_for_screening(cohort):
    screened = [p for p in cohort if p.presenting_complaint == "screening"]
    assert screened
    assert all(screening_eligible(p.age_years, p.smoking_status, p.pack_years, p.years_since_quit)
               for p in screened)
    eligible = [p for p in cohort if screening_eligible(p.age_years, p.smoking_status, p.pack_years,
                                                        p.years_since_quit)]
    assert_rate([p.presenting_complaint == "screening" for p in eligible], 0.5)


def test_the_same_seed_gives_the_same_cohort():
    assert sample_reference_cohort(50, seed=3) == sample_reference_cohort(50, seed=3)
    assert sample_reference_cohort(50, seed=3) != sample_reference_cohort(50, seed=4)


def test_every_figure_in_the_definition_names_its_source(definition):
    for key, section in definition.items():
        if isinstance(section, dict):
            assert section.get("source"), key

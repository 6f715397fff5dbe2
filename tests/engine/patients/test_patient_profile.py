"""Profile rules and the clinical-note history text."""
import pytest

from gan_engine.patients import PatientProfile, history_text


def test_the_history_reads_like_a_clinical_note():
    p = PatientProfile(age_years=62, sex="male", smoking_status="current", pack_years=40.0,
                       copd=True, hypertension=True, family_history_lung_cancer=True,
                       presenting_complaint="cough")
    assert history_text(p) == (
        "62-year-old man, current smoker (40 pack-years) with COPD and hypertension. "
        "Family history of lung cancer in a first-degree relative. Presents with a persistent cough."
    )
    assert p.history == history_text(p)


def test_a_former_smoker_history_says_when_she_quit():
    p = PatientProfile(age_years=70, sex="female", smoking_status="former", pack_years=12.5,
                       years_since_quit=1.0, copd=True, emphysema=True, diabetes=True,
                       prior_cancer=True, presenting_complaint="incidental")
    assert history_text(p) == (
        "70-year-old woman, former smoker (12.5 pack-years, quit 1 year ago) with COPD, emphysema "
        "and diabetes. Past history of cancer (non-lung primary). "
        "Chest CT performed for an unrelated indication."
    )


def test_a_never_smoker_without_comorbidities_says_so():
    p = PatientProfile(age_years=45, sex="female", smoking_status="never", presenting_complaint="screening")
    assert history_text(p) == ("45-year-old woman, never smoker, no chronic lung or cardiometabolic "
                               "disease. Referred for low-dose CT lung cancer screening.")


@pytest.mark.parametrize("fields, message", [
    (dict(smoking_status="never", pack_years=5.0), "never-smoker has 0 pack-years"),
    (dict(smoking_status="current", pack_years=0.0), "pack_years > 0"),
    (dict(smoking_status="current", pack_years=10.0, years_since_quit=2.0), "unless smoking_status is former"),
    (dict(smoking_status="former", pack_years=10.0), "years_since_quit > 0"),
    (dict(smoking_status="never", age_years=12), "age_years"),
    (dict(smoking_status="never", sex="x"), "sex"),
    (dict(smoking_status="sometimes"), "smoking_status"),
    (dict(smoking_status="never", presenting_complaint="headache"), "presenting_complaint"),
    (dict(smoking_status="never", copd="yes"), "copd"),
])
def test_it_rejects_profiles_that_break_the_rules(fields, message):
    base = dict(age_years=60, sex="male")
    with pytest.raises(ValueError, match=message):
        PatientProfile(**{**base, **fields})


def test_it_round_trips_through_a_dict():
    p = PatientProfile(age_years=60, sex="male", smoking_status="former", pack_years=30.0,
                       years_since_quit=4.0, emphysema=True)
    assert PatientProfile.from_dict(p.to_dict()) == p
    with pytest.raises(ValueError, match="unknown profile fields"):
        PatientProfile.from_dict({**p.to_dict(), "bmi": 25})

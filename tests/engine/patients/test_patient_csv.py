"""Patient CSV: round trip and clear errors naming line and column."""
import pytest

from gan_engine.patients import PatientCSVError, read_patient_csv, sample_reference_cohort, write_patient_csv

HEADER = ("age_years,sex,smoking_status,pack_years,years_since_quit,copd,emphysema,diabetes,"
          "hypertension,prior_cancer,family_history_lung_cancer,presenting_complaint")


def write(tmp_path, text):
    path = tmp_path / "patients.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_written_profiles_read_back_identically(tmp_path):
    cohort = sample_reference_cohort(40, seed=1)
    assert read_patient_csv(write_patient_csv(cohort, tmp_path / "c.csv")) == cohort


def test_it_accepts_yes_no_and_one_zero_booleans_in_any_case(tmp_path):
    path = write(tmp_path, HEADER + "\n62,Male,current,40,0,YES,no,1,0,False,true,cough\n")
    (p,) = read_patient_csv(path)
    assert (p.sex, p.copd, p.emphysema, p.diabetes, p.family_history_lung_cancer) == ("male", True, False, True, True)


def test_it_names_missing_and_unexpected_columns(tmp_path):
    header = HEADER.replace(",copd", "") + ",bmi"
    with pytest.raises(PatientCSVError) as err:
        read_patient_csv(write(tmp_path, header + "\n"))
    assert err.value.errors == ["missing columns: copd", "unexpected columns: bmi"]


def test_it_reports_every_bad_value_with_its_line_and_column(tmp_path):
    rows = [
        "62,male,current,40,0,no,no,no,no,no,no,cough",      # line 2: fine
        "abc,male,current,40,0,no,no,no,no,no,no,cough",     # line 3: age not a number
        "62,male,current,40,0,maybe,no,no,no,no,no,cough",   # line 4: bad boolean
        "62,male,never,12,0,no,no,no,no,no,no,cough",        # line 5: never-smoker with pack-years
        "62,male,current,40,0,no,no,no,no,no,no,",            # line 6: empty complaint
        "62.5,male,current,40,0,no,no,no,no,no,no,cough",    # line 7: fractional age
    ]
    with pytest.raises(PatientCSVError) as err:
        read_patient_csv(write(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n"))
    errors = err.value.errors
    assert errors[0].startswith("line 3, column age_years:")
    assert errors[1].startswith("line 4, column copd: expected true/false")
    assert errors[2] == "line 5: a never-smoker has 0 pack-years, got 12.0"
    assert errors[3] == "line 6, column presenting_complaint: empty value"
    assert errors[4].startswith("line 7, column age_years: expected whole years")
    assert len(errors) == 5


def test_an_unknown_category_is_an_error(tmp_path):
    with pytest.raises(PatientCSVError, match="smoking_status must be one of never, former, current"):
        read_patient_csv(write(tmp_path, HEADER + "\n62,male,vaper,40,0,no,no,no,no,no,no,cough\n"))


def test_a_file_without_rows_is_an_error(tmp_path):
    with pytest.raises(PatientCSVError, match="no data rows"):
        read_patient_csv(write(tmp_path, HEADER + "\n"))

"""A progression series: one synthetic patient, a study per time point."""
import datetime as dt

import numpy as np
import pydicom
import pytest

from gan_engine.conditions import Condition
from gan_engine.export import Provenance, export_progression_dicom, read_synthetic_dicom
from gan_engine.patients import PatientProfile

SHA = "f" * 64
STEPS = (Condition("solid_nodule", 0.1, 0.3, 0.5), Condition("solid_nodule", 0.2, 0.3, 0.5),
         Condition("solid_nodule", 0.4, 0.3, 0.5), Condition("solid_nodule", 0.7, 0.3, 0.5))
PROVENANCE = Provenance("radturing-chest-gan", "1.2.0", SHA, 7, STEPS)
PATIENT = PatientProfile(age_years=64, sex="male", smoking_status="current", pack_years=50.0)
FIRST = dt.datetime(2022, 11, 1, 10, 0)


@pytest.fixture
def series(tmp_path):
    frames = np.stack([np.full((16, 16), v) for v in (-0.5, -0.2, 0.1, 0.4)])
    paths = export_progression_dicom(frames, provenance=PROVENANCE, out_dir=tmp_path,
                                     interval_days=90, patient=PATIENT,
                                     first_study_datetime=FIRST)
    return paths, [pydicom.dcmread(p) for p in paths]


def test_every_time_point_belongs_to_the_same_patient(series):
    _, datasets = series
    assert len({ds.PatientID for ds in datasets}) == 1
    assert len({ds.PatientBirthDate for ds in datasets}) == 1
    assert len({str(ds.PatientName) for ds in datasets}) == 1


def test_each_time_point_is_a_new_study_spaced_by_the_interval(series):
    _, datasets = series
    assert len({ds.StudyInstanceUID for ds in datasets}) == 4
    assert len({ds.SeriesInstanceUID for ds in datasets}) == 4
    dates = [dt.datetime.strptime(ds.StudyDate, "%Y%m%d").date() for ds in datasets]
    assert dates[0] == FIRST.date()
    assert [(b - a).days for a, b in zip(dates, dates[1:])] == [90, 90, 90]


def test_dates_are_marked_modified_and_files_synthetic(series):
    _, datasets = series
    for ds in datasets:
        assert ds.LongitudinalTemporalInformationModified == "MODIFIED"
        assert ds.SyntheticData == "YES" and ds.ImageComments.startswith("SYNTHETIC")


def test_age_follows_the_study_date(series):
    _, datasets = series
    ages = [int(ds.PatientAge[:3]) for ds in datasets]
    assert ages[0] == 64 and ages == sorted(ages) and ages[-1] - ages[0] <= 1


def test_each_time_point_records_its_own_condition(series):
    paths, _ = series
    assert [read_synthetic_dicom(p)[1].conditions[0] for p in paths] == list(STEPS)


def test_a_zero_interval_is_refused(tmp_path):
    with pytest.raises(ValueError, match="interval_days"):
        export_progression_dicom(np.zeros((2, 4, 4)), provenance=PROVENANCE.for_image(0),
                                 out_dir=tmp_path, interval_days=0)

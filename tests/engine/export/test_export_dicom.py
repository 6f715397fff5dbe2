"""Synthetic Secondary Capture export: round trip, provenance, patient fields, validation."""
import datetime as dt

import numpy as np
import pydicom
import pytest
from pydicom.pixels import apply_rescale

from gan_engine.conditions import Condition
from gan_engine.export import (
    SYNTHETIC_COMMENT,
    Provenance,
    export_dicom,
    read_synthetic_dicom,
    secondary_capture_problems,
    validate_secondary_capture,
)
from gan_engine.export.validation import InvalidSyntheticDicom
from gan_engine.patients import PatientProfile

SHA = "0123456789abcdef" * 4
PROVENANCE = Provenance("radturing-chest-gan", "1.2.0", SHA, 42,
                        (Condition("solid_nodule", 0.25, 0.3, 0.6), Condition("normal")))
PATIENT = PatientProfile(age_years=62, sex="female", smoking_status="former", pack_years=35.0,
                         years_since_quit=3.0)
WHEN = dt.datetime(2023, 5, 17, 9, 30)


@pytest.fixture
def hu_images():
    rng = np.random.default_rng(0)
    return rng.integers(-1024, 601, size=(2, 32, 48)).astype(np.float64)


@pytest.fixture
def written(tmp_path, hu_images):
    return export_dicom(hu_images, provenance=PROVENANCE, out_dir=tmp_path, patient=PATIENT,
                        spacing_mm=(0.8, 0.75), pixel_values="hu", study_datetime=WHEN)


def test_whole_hu_values_come_back_exactly(written, hu_images):
    for path, expected in zip(written, hu_images):
        hu, _ = read_synthetic_dicom(path)
        np.testing.assert_array_equal(hu, expected.astype(np.int32))
        ds = pydicom.dcmread(path)
        # Any DICOM reader applying the Modality LUT gets the same HU.
        np.testing.assert_array_equal(apply_rescale(ds.pixel_array, ds), expected)
        assert ds.pixel_array.dtype == np.uint16 and ds.BitsAllocated == 16


def test_each_file_carries_its_own_condition_and_the_shared_provenance(written):
    provenances = [read_synthetic_dicom(p)[1] for p in written]
    assert provenances == [PROVENANCE.for_image(0), PROVENANCE.for_image(1)]
    ds = pydicom.dcmread(written[0])
    assert SHA in ds.DerivationDescription and '"seed":42' in ds.DerivationDescription


def test_the_synthetic_markers_are_always_present(written):
    for path in written:
        ds = pydicom.dcmread(path)
        assert ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.7"
        assert ds.ConversionType == "SYN"
        assert ds.SyntheticData == "YES"
        assert list(ds.ImageType) == ["DERIVED", "SECONDARY"]
        assert ds.ImageComments == SYNTHETIC_COMMENT
        assert str(ds.PatientName).startswith("SYNTHETIC^")
        assert ds.Manufacturer == "RadTuring"
        assert ds.ManufacturerModelName == "radturing-chest-gan"
        assert list(ds.SoftwareVersions)[1] == "1.2.0"
        assert ds.LongitudinalTemporalInformationModified == "MODIFIED"
        assert secondary_capture_problems(ds) == []


def test_patient_age_sex_and_birth_date_agree_with_the_profile_and_study_date(written):
    ds = pydicom.dcmread(written[0])
    assert ds.PatientSex == "F" and ds.PatientAge == "062Y"
    born = dt.datetime.strptime(ds.PatientBirthDate, "%Y%m%d").date()
    study = dt.datetime.strptime(ds.StudyDate, "%Y%m%d").date()
    assert study == WHEN.date()
    had_birthday = (study.month, study.day) >= (born.month, born.day)
    assert study.year - born.year - (not had_birthday) == 62


def test_one_export_is_one_study_and_series_with_fresh_instance_uids(written):
    a, b = (pydicom.dcmread(p) for p in written)
    assert a.StudyInstanceUID == b.StudyInstanceUID and a.SeriesInstanceUID == b.SeriesInstanceUID
    assert a.SOPInstanceUID != b.SOPInstanceUID and a.PatientID == b.PatientID
    assert (a.InstanceNumber, b.InstanceNumber) == (1, 2)


def test_spacing_and_windows_are_recorded(written):
    ds = pydicom.dcmread(written[0])
    assert [float(v) for v in ds.PixelSpacing] == [0.8, 0.75]
    assert [float(v) for v in ds.NominalScannedPixelSpacing] == [0.8, 0.75]
    assert [float(v) for v in ds.WindowCenter] == [-600.0, 50.0]
    assert [float(v) for v in ds.WindowWidth] == [1500.0, 350.0]
    assert (float(ds.RescaleIntercept), float(ds.RescaleSlope), ds.RescaleType) == (-1024.0, 1.0, "HU")


def test_unit_scale_images_map_through_the_default_hu_range(tmp_path):
    unit = np.array([[-1.0, 0.0], [0.5, 1.0]])
    (path,) = export_dicom(unit, provenance=PROVENANCE.for_image(0), out_dir=tmp_path)
    hu, _ = read_synthetic_dicom(path)
    # -1024 + (u + 1) / 2 * 1624: -1 -> -1024, 0 -> -212, 0.5 -> 194, 1 -> 600
    np.testing.assert_array_equal(hu, [[-1024, -212], [194, 600]])


def test_hu_passed_as_unit_scale_is_refused(tmp_path, hu_images):
    with pytest.raises(ValueError, match="pixel_values='hu'"):
        export_dicom(hu_images, provenance=PROVENANCE, out_dir=tmp_path)


def test_without_a_profile_the_type_2_patient_fields_are_present_but_empty(tmp_path):
    (path,) = export_dicom(np.zeros((8, 8)), provenance=PROVENANCE.for_image(1), out_dir=tmp_path,
                           patient_id="SYN-TEST")
    ds = pydicom.dcmread(path)
    assert not ds.PatientBirthDate and not ds.PatientSex and "PatientAge" not in ds
    assert "PatientBirthDate" in ds and "PatientSex" in ds  # Type 2: present, empty
    assert ds.PatientID == "SYN-TEST" and str(ds.PatientName) == "SYNTHETIC^SYN-TEST"


def test_a_condition_count_that_matches_neither_one_nor_the_images_is_refused(tmp_path):
    three = Provenance("m", "1", SHA, 0, (Condition(),) * 3)
    with pytest.raises(ValueError, match="3 conditions for 2 images"):
        export_dicom(np.zeros((2, 4, 4)), provenance=three, out_dir=tmp_path)


@pytest.mark.parametrize("keyword", ["SyntheticData", "ImageComments", "ConversionType",
                                     "StudyInstanceUID", "PatientID", "DerivationDescription"])
def test_validation_rejects_a_dataset_missing_a_required_attribute(written, keyword):
    ds = pydicom.dcmread(written[0])
    del ds[keyword]
    with pytest.raises(InvalidSyntheticDicom, match=keyword):
        validate_secondary_capture(ds)


@pytest.mark.parametrize("keyword, value, message", [
    ("SyntheticData", "NO", "SyntheticData must be YES"),
    ("ConversionType", "DI", "ConversionType must be SYN"),
    ("ImageType", ["ORIGINAL", "PRIMARY"], "DERIVED"),
    ("PatientName", "DOE^JANE", "SYNTHETIC^"),
    pytest.param("StudyDate", "2023-05-17", "DA date",
                 marks=pytest.mark.filterwarnings("ignore:Invalid value for VR DA")),
    ("SOPClassUID", "1.2.840.10008.5.1.4.1.1.2", "Secondary Capture"),
])
def test_validation_rejects_wrong_values(written, keyword, value, message):
    ds = pydicom.dcmread(written[0])
    setattr(ds, keyword, value)
    assert any(message in p for p in secondary_capture_problems(ds))


def test_validation_rejects_truncated_pixel_data(written):
    ds = pydicom.dcmread(written[0])
    ds.PixelData = ds.PixelData[:-2]
    assert any("PixelData holds" in p for p in secondary_capture_problems(ds))

"""PS3.15 Basic Profile de-identification of headers (no database needed)."""
from __future__ import annotations

from pydicom import dcmread
from pydicom.data import get_testdata_file

from imaging.deid import ACTION_BY_TAG, ACTION_TABLE, deidentify
from tests.imaging.files import PLANTED, dicom_bytes, planted_ct

SECRET = "ab" * 32
OTHER_SECRET = "cd" * 32


def test_every_keyword_in_the_action_table_is_a_dicom_attribute():
    assert len(ACTION_BY_TAG) == len(ACTION_TABLE)
    assert set(ACTION_TABLE.values()) <= set("DZXKCU")


def test_it_leaves_no_planted_identifier_in_standard_private_or_nested_attributes():
    ds = planted_ct()
    deidentify(ds, SECRET)
    data = dicom_bytes(ds)
    for value in PLANTED.values():
        assert value.encode() not in data, value
        assert value.split("^")[0].encode() not in data, value
    assert not any(elem.tag.is_private for elem in ds.iterall())
    assert ds.PatientIdentityRemoved == "YES"
    assert [item.CodeValue for item in ds.DeidentificationMethodCodeSequence] == ["113100", "113107"]
    assert ds.LongitudinalTemporalInformationModified == "MODIFIED"
    assert ds.PatientName.family_name == "ANON" and str(ds.PatientID).startswith("ANON-")
    assert "PatientBirthDate" not in ds or ds.PatientBirthDate == ""
    assert ds.AnatomicRegionSequence[0].CodeMeaning == "Chest"  # clinical content of kept sequences stays


def test_the_same_patient_gets_the_same_date_shift_and_the_same_uids_within_an_owner():
    first, second = planted_ct(), planted_ct()
    original_study_uid = str(first.StudyInstanceUID)
    deidentify(first, SECRET)
    deidentify(second, SECRET)
    assert first.StudyDate == second.StudyDate != "20040119"
    assert first.StudyInstanceUID == second.StudyInstanceUID != original_study_uid
    assert str(first.StudyInstanceUID).startswith("2.25.")
    assert first.PatientID == second.PatientID
    other = planted_ct()
    deidentify(other, OTHER_SECRET)
    assert other.StudyInstanceUID != first.StudyInstanceUID and other.PatientID != first.PatientID


def test_another_patient_gets_another_date_shift():
    a, b = planted_ct(), planted_ct()
    b.PatientID = "SOMEONE-ELSE-1"
    deidentify(a, SECRET)
    deidentify(b, SECRET)
    assert a.StudyDate != b.StudyDate  # 1 in 3650 chance of equal shifts; fixed secret makes it deterministic


def test_it_keeps_registered_uids_such_as_the_sop_class():
    ds = planted_ct()
    sop_class = str(ds.SOPClassUID)
    deidentify(ds, SECRET)
    assert str(ds.SOPClassUID) == sop_class


def test_it_removes_overlays_and_reports_actions_without_values():
    ds = dcmread(get_testdata_file("MR-SIEMENS-DICOM-WithOverlays.dcm"))
    assert any(elem.tag.group == 0x6000 for elem in ds)
    result = deidentify(ds, SECRET)
    assert not any((elem.tag.group & 0xFF00) == 0x6000 for elem in ds)
    report = result.as_report()
    assert {"keyword", "tag", "action", "done", "count"} == set(report[0])
    assert any(r["keyword"].startswith("curve") for r in report)
    assert any(r["keyword"] == "private tags" for r in report)

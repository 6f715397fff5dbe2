"""A dciodvfy-style check of our synthetic Secondary Capture files.

Checks the Type 1 (present, non-empty) and Type 2 (present, may be empty) attributes of the
Secondary Capture Image IOD modules we write (DICOM PS3.3 A.8.1: Patient C.7.1.1, General Study
C.7.2.1, General Series C.7.3.1, SC Equipment C.8.6.1, General Equipment C.7.5.1, General Image
C.7.6.1, Image Pixel C.7.6.3, Modality LUT C.11.1, VOI LUT C.11.2, SOP Common C.12.1), value
representations of dates and UIDs, the pixel data length, and the house provenance rules
(STACK.md: SYN conversion, SyntheticData YES, DERIVED\\SECONDARY, ImageComments, SYNTHETIC^ name).
It is not a full dciodvfy: only attributes this exporter relies on are checked.
"""
from __future__ import annotations

import re

from pydicom.dataset import Dataset
from pydicom.uid import UID

SECONDARY_CAPTURE_SOP_CLASS = "1.2.840.10008.5.1.4.1.1.7"
SYNTHETIC_COMMENT = "SYNTHETIC \u2013 NOT FOR CLINICAL USE"

TYPE_1 = (
    # General Study, General Series, SC Equipment, Image Pixel, SOP Common
    "StudyInstanceUID", "Modality", "SeriesInstanceUID", "ConversionType",
    "SamplesPerPixel", "PhotometricInterpretation", "Rows", "Columns", "BitsAllocated",
    "BitsStored", "HighBit", "PixelRepresentation", "PixelData", "SOPClassUID", "SOPInstanceUID",
    # Modality LUT (RescaleType is Type 1 there when Rescale Slope/Intercept are present)
    "RescaleIntercept", "RescaleSlope", "RescaleType",
    # Synthetic-data rules of the house (PS3.3 C.12.1: SyntheticData is Type 3; we require it)
    "SyntheticData", "ImageType", "DerivationDescription", "ImageComments",
    "Manufacturer", "ManufacturerModelName", "SoftwareVersions",
)
TYPE_2 = (
    # Patient, General Study, General Series, General Image
    "PatientName", "PatientID", "PatientBirthDate", "PatientSex", "StudyDate", "StudyTime",
    "ReferringPhysicianName", "StudyID", "AccessionNumber", "SeriesNumber", "InstanceNumber",
    "PatientOrientation",
)
DATES = ("StudyDate", "PatientBirthDate", "ContentDate", "DateOfSecondaryCapture")
UIDS = ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "SOPClassUID")
_DA = re.compile(r"^\d{8}$")


class InvalidSyntheticDicom(ValueError):
    """A dataset that breaks the SC IOD or the house provenance rules; `problems` lists each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def _empty(value: object) -> bool:
    return value is None or (hasattr(value, "__len__") and len(value) == 0)  # type: ignore[arg-type]


def secondary_capture_problems(ds: Dataset) -> list[str]:
    """Every rule `ds` breaks, as sentences; empty for a valid synthetic Secondary Capture image."""
    problems = []
    for keyword in TYPE_1:
        if keyword not in ds:
            problems.append(f"{keyword} (Type 1) is missing")
        elif _empty(ds[keyword].value):
            problems.append(f"{keyword} (Type 1) is empty")
    problems += [f"{k} (Type 2) is missing" for k in TYPE_2 if k not in ds]
    if problems:
        return problems

    if ds.SOPClassUID != SECONDARY_CAPTURE_SOP_CLASS:
        problems.append(f"SOPClassUID is {ds.SOPClassUID}, not Secondary Capture")
    file_meta = getattr(ds, "file_meta", None)
    if file_meta is None or file_meta.get("MediaStorageSOPClassUID") != ds.SOPClassUID:
        problems.append("file meta MediaStorageSOPClassUID does not match SOPClassUID")
    if file_meta is not None and file_meta.get("MediaStorageSOPInstanceUID") != ds.SOPInstanceUID:
        problems.append("file meta MediaStorageSOPInstanceUID does not match SOPInstanceUID")
    for keyword in UIDS:
        if not UID(str(ds[keyword].value)).is_valid:
            problems.append(f"{keyword} is not a valid UID")
    for keyword in DATES:
        value = ds.get(keyword)
        if value and not _DA.match(str(value)):
            problems.append(f"{keyword} {value!r} is not a DA date (YYYYMMDD)")
    if ds.ConversionType != "SYN":
        problems.append(f"ConversionType must be SYN, got {ds.ConversionType!r}")
    if str(ds.SyntheticData) != "YES":
        problems.append(f"SyntheticData must be YES, got {ds.SyntheticData!r}")
    if list(ds.ImageType)[:2] != ["DERIVED", "SECONDARY"]:
        problems.append(f"ImageType must start DERIVED\\SECONDARY, got {list(ds.ImageType)}")
    if ds.ImageComments != SYNTHETIC_COMMENT:
        problems.append(f"ImageComments must be {SYNTHETIC_COMMENT!r}")
    if not str(ds.PatientName or "").startswith("SYNTHETIC^"):
        problems.append("PatientName must start with SYNTHETIC^")
    if str(ds.PatientSex or "") not in ("", "M", "F", "O"):
        problems.append(f"PatientSex must be M, F, O or empty, got {ds.PatientSex!r}")
    if ds.SamplesPerPixel != 1 or ds.PhotometricInterpretation != "MONOCHROME2":
        problems.append("expected one sample per pixel, MONOCHROME2")
    expected = ds.Rows * ds.Columns * ds.SamplesPerPixel * ((ds.BitsAllocated + 7) // 8)
    if not ds.file_meta.TransferSyntaxUID.is_encapsulated and len(ds.PixelData) != expected:
        problems.append(f"PixelData holds {len(ds.PixelData)} bytes, expected {expected}")
    if ds.HighBit != ds.BitsStored - 1 or ds.BitsStored > ds.BitsAllocated:
        problems.append("BitsStored/HighBit inconsistent with BitsAllocated")
    if "WindowCenter" in ds and "WindowWidth" not in ds:
        problems.append("WindowCenter without WindowWidth (VOI LUT module)")
    return problems


def validate_secondary_capture(ds: Dataset) -> None:
    """Raise InvalidSyntheticDicom listing every problem found by `secondary_capture_problems`."""
    problems = secondary_capture_problems(ds)
    if problems:
        raise InvalidSyntheticDicom(problems)

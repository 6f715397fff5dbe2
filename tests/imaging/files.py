"""Good and bad upload files built in memory, and DICOM files with planted identifiers."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from pydicom import dcmread
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence


# Identifiers planted in test files; none may survive ingest anywhere.
PLANTED = {
    "name": "Zyxwabc^Qwertina",
    "id": "PID-88214377",
    "birth": "19510817",
    "institution": "St Planted Memorial Hospital",
    "physician": "Drplanted^Hugo",
    "accession": "ACC99812734",
    "private": "PRIVATE-SECRET-7731",
    "nested": "Nestedname^Ingrid",
}


def planted_ct() -> Dataset:
    """CT_small.dcm carrying identifiers in standard, private and nested attributes."""
    ds = dcmread(get_testdata_file("CT_small.dcm"))
    ds.PatientName = PLANTED["name"]
    ds.PatientID = PLANTED["id"]
    ds.PatientBirthDate = PLANTED["birth"]
    ds.InstitutionName = PLANTED["institution"]
    ds.ReferringPhysicianName = PLANTED["physician"]
    ds.AccessionNumber = PLANTED["accession"]
    ds.StudyDate = "20040119"
    block = ds.private_block(0x0011, "PLANTED CREATOR", create=True)
    block.add_new(0x01, "LO", PLANTED["private"])
    block.add_new(0x02, "PN", PLANTED["name"])
    item = Dataset()
    item.PersonName = PLANTED["nested"]
    item.InstitutionName = PLANTED["institution"]
    item.PatientID = PLANTED["id"]
    ds.add_new(0x00081084, "SQ", Sequence([item]))  # AdmittingDiagnosesCodeSequence: removed whole
    code = Dataset()
    code.CodeValue, code.CodingSchemeDesignator, code.CodeMeaning = "T-D3000", "SRT", "Chest"
    code.add_new(0x0040A123, "PN", PLANTED["nested"])  # a PN nested in a kept sequence
    code.add_new(0x00080080, "LO", PLANTED["institution"])
    ds.AnatomicRegionSequence = Sequence([code])
    return ds


def dicom_bytes(ds: Dataset) -> bytes:
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


def pydicom_file(name: str) -> bytes:
    return Path(get_testdata_file(name)).read_bytes()


def upload_file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def png16(rows: int = 40, cols: int = 48, seed: int = 0) -> bytes:
    values = np.random.default_rng(seed).integers(0, 3000, (rows, cols)).astype(np.uint16)
    out = io.BytesIO()
    PILImage.fromarray(values).save(out, format="PNG")
    return out.getvalue()


def tiff16(rows: int = 32, cols: int = 32) -> bytes:
    out = io.BytesIO()
    PILImage.fromarray(np.arange(rows * cols, dtype=np.uint16).reshape(rows, cols)).save(out, format="TIFF")
    return out.getvalue()


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def bomb_png(side: int = 10_000) -> bytes:
    """A tiny PNG declaring side x side pixels: over Pillow's MAX_IMAGE_PIXELS (a warning, made an error)."""
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _chunk(b"IEND", b"")


def truncated_dicom() -> bytes:
    data = pydicom_file("CT_small.dcm")
    return data[: len(data) * 2 // 3]


def oversized_dicom() -> bytes:
    """A header declaring 128 x 128 x 20 000 frames: over the pixel limit, refused before decoding."""
    ds = dcmread(get_testdata_file("CT_small.dcm"))
    ds.NumberOfFrames = 20000
    return dicom_bytes(ds)


def burned_in_dicom() -> bytes:
    ds = dcmread(get_testdata_file("CT_small.dcm"))
    ds.BurnedInAnnotation = "YES"
    return dicom_bytes(ds)


def zip_of(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return out.getvalue()


def lying_zip(name: str = "liar.dcm", actual: int = 2_000_000, declared: int = 1000) -> bytes:
    """A stored (uncompressed) member whose headers declare fewer bytes than it holds."""
    data = zip_of({name: b"\x00" * actual}, compression=zipfile.ZIP_STORED)
    size = struct.pack("<I", actual)
    return data.replace(size + size, struct.pack("<I", declared) * 2)

from __future__ import annotations

import shutil
import struct
import zlib
from pathlib import Path

import numpy as np
import pydicom
import pytest
import tifffile
from PIL import Image

from gan_engine.data.dicom import DataError
from gan_engine.data.user_folder import UserFolderDataset, load_folder, read_labels


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height pixels (a decompression-bomb header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(
        b"IEND", b"")


@pytest.fixture()
def mixed_folder(tmp_path: Path, testdata) -> Path:
    for name in ("CT_small.dcm", "MR_small.dcm", "emri_small.dcm", "MR_small_RLE.dcm",
                 "test-SR.dcm", "rtstruct.dcm"):
        shutil.copy(testdata(name), tmp_path / name)
    (tmp_path / "sub").mkdir()
    shutil.copy(testdata("JPEG2000.dcm"), tmp_path / "sub" / "nm")  # DICOM without a suffix
    Image.fromarray(np.tile(np.arange(64, dtype=np.uint8) * 4, (48, 1))).save(tmp_path / "grey8.png")
    tifffile.imwrite(tmp_path / "grey16.tif", np.tile(np.arange(32, dtype=np.uint16) * 2000, (32, 1)))
    (tmp_path / "notes.dcm").write_text("not an image\n")
    shutil.copy(tmp_path / "grey8.png", tmp_path / "picture.dcm")
    data = testdata("CT_small.dcm").read_bytes()
    (tmp_path / "truncated.dcm").write_bytes(data[: len(data) - 9000])
    (tmp_path / "bomb.png").write_bytes(_png_header(20_000, 20_000))
    (tmp_path / "big.png").write_bytes(_png_header(10_000, 9_000))  # over MAX_IMAGE_PIXELS: warning
    huge = pydicom.dcmread(testdata("CT_small.dcm"))
    huge.Rows, huge.Columns = 40_000, 40_000
    huge.save_as(tmp_path / "huge.dcm")
    (tmp_path / "readme.txt").write_text("ignored")
    (tmp_path / "model.bin").write_bytes(b"\x00" * 10)
    return tmp_path


def test_a_mixed_folder_loads_the_good_files_and_explains_the_bad_ones(mixed_folder):
    report = load_folder(mixed_folder)
    loaded = {(img.source.name, img.frame) for img in report.images}
    assert {("CT_small.dcm", 0), ("MR_small.dcm", 0), ("MR_small_RLE.dcm", 0), ("nm", 0),
            ("grey8.png", 0), ("grey16.tif", 0)} <= loaded
    assert {f for n, f in loaded if n == "emri_small.dcm"} == set(range(10))
    assert len(report.images) == 16
    reasons = dict(report.errors)
    assert "not an image" in reasons["test-SR.dcm"]
    assert "not an image" in reasons["rtstruct.dcm"]
    assert "not a DICOM file" in reasons["notes.dcm"]
    assert "PNG" in reasons["picture.dcm"]
    assert "less than expected" in reasons["truncated.dcm"] or "decode" in reasons["truncated.dcm"]
    assert "decompression bomb" in reasons["bomb.png"]
    assert "decompression bomb" in reasons["big.png"]
    assert "too large" in reasons["huge.dcm"]
    assert "unsupported file type" in reasons["model.bin"]
    assert "readme.txt" not in reasons
    assert len(report.errors) == 9


def test_ct_frames_stay_in_hu_and_pictures_in_unit_range(mixed_folder):
    report = load_folder(mixed_folder)
    by_name = {img.source.name: img for img in report.images}
    assert by_name["CT_small.dcm"].is_hu and by_name["CT_small.dcm"].array.min() < -500
    grey16 = by_name["grey16.tif"]
    assert not grey16.is_hu and grey16.array.max() == pytest.approx(62000 / 65535, abs=1e-4)
    assert by_name["grey8.png"].array.max() == pytest.approx(252 / 255)


def test_labels_attach_to_their_files(mixed_folder):
    (mixed_folder / "labels.csv").write_text(
        "file,finding,severity,x,y\n"
        "CT_small.dcm,solid_nodule,0.5,0.25,0.75\n"
        "grey8.png,normal,,,\n"
    )
    report = load_folder(mixed_folder)
    by_name = {img.source.name: img for img in report.images}
    assert by_name["CT_small.dcm"].condition.finding == "solid_nodule"
    assert by_name["CT_small.dcm"].condition.x == 0.25
    assert by_name["grey8.png"].condition.finding == "normal"
    assert by_name["MR_small.dcm"].condition is None


@pytest.mark.parametrize(
    "text, message",
    [
        ("name,finding\na.dcm,normal\n", "missing column"),
        ("file,finding,colour\na.dcm,normal,red\n", "unknown column"),
        ("file,finding\na.dcm,cavity\n", "line 2: unknown finding"),
        ("file,finding,severity,x,y\na.dcm,solid_nodule,0.5,1.5,0.5\n", "line 2: x must lie"),
        ("file,finding,severity\na.dcm,solid_nodule,big\n", "line 2"),
        ("file,finding\na.dcm,normal\na.dcm,normal\n", "line 3: a.dcm is listed twice"),
    ],
)
def test_a_bad_labels_file_is_refused_with_the_line(tmp_path, text, message):
    path = tmp_path / "labels.csv"
    path.write_text(text)
    with pytest.raises(DataError, match=message):
        read_labels(path)


def test_a_labelled_file_that_is_missing_is_reported(tmp_path, testdata):
    shutil.copy(testdata("CT_small.dcm"), tmp_path / "a.dcm")
    (tmp_path / "labels.csv").write_text("file,finding\na.dcm,normal\nb.dcm,normal\n")
    report = load_folder(tmp_path)
    assert len(report.images) == 1
    assert report.errors == [("b.dcm", "listed in the labels file but not found in the folder")]


def test_the_dataset_resizes_to_a_square_and_keeps_positions_on_the_anatomy(tmp_path):
    picture = np.zeros((50, 100), dtype=np.uint8)
    picture[10:20, 70:80] = 255  # a bright square centred at x = 0.75, y = 0.3
    Image.fromarray(picture).save(tmp_path / "wide.png")
    (tmp_path / "labels.csv").write_text("file,finding,severity,x,y\nwide.png,solid_nodule,0.3,0.75,0.3\n")
    item = UserFolderDataset(tmp_path, size=64)[0]
    assert item["image"].shape == (1, 64, 64)
    assert item["image"].min() >= -1.0 and item["image"].max() <= 1.0
    image = item["image"][0].numpy()
    row, col = np.unravel_index(int(np.argmax(image)), image.shape)
    x, y = item["position"].tolist()
    assert abs((col + 0.5) / 64 - x) < 3 / 64 and abs((row + 0.5) / 64 - y) < 3 / 64
    assert int(item["finding"]) == 1


def test_an_empty_folder_makes_no_dataset(tmp_path):
    with pytest.raises(DataError, match="no readable images"):
        UserFolderDataset(tmp_path)

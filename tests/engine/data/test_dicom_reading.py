from __future__ import annotations

import numpy as np
import pydicom
import pytest

from gan_engine.data.dicom import DataError, read_dicom_frames


def test_a_ct_file_comes_out_in_hounsfield_units(testdata):
    image = read_dicom_frames(testdata("CT_small.dcm"))
    ds = pydicom.dcmread(testdata("CT_small.dcm"))
    assert image.is_hu and image.modality == "CT"
    assert image.frames.shape == (1, 128, 128) and image.frames.dtype == np.float32
    expected = ds.pixel_array * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
    assert np.allclose(image.frames[0], expected)
    assert image.pixel_spacing_mm == pytest.approx(tuple(float(v) for v in ds.PixelSpacing))


def test_an_mr_file_is_windowed_to_display_values(testdata):
    image = read_dicom_frames(testdata("MR_small.dcm"))
    assert not image.is_hu and image.modality == "MR"
    assert 0.0 <= image.frames.min() and image.frames.max() <= 1.0
    assert image.frames.std() > 0.05


@pytest.mark.parametrize(
    "name",
    ["MR_small_RLE.dcm", "MR_small_jp2klossless.dcm", "MR_small_jpeg_ls_lossless.dcm",
     "MR_small_bigendian.dcm", "MR_small_implicit.dcm"],
)
def test_compressed_and_other_encodings_decode_to_the_same_pixels(testdata, name):
    reference = read_dicom_frames(testdata("MR_small.dcm")).frames
    assert np.allclose(read_dicom_frames(testdata(name)).frames, reference, atol=1e-6)


def test_a_lossy_jpeg_decodes_close_to_the_original(testdata):
    lossless = read_dicom_frames(testdata("SC_rgb.dcm")).frames
    lossy = read_dicom_frames(testdata("SC_rgb_jpeg_lossy_gdcm.dcm")).frames
    assert lossy.shape == lossless.shape == (1, 100, 100)
    assert 0 < np.abs(lossy - lossless).mean() < 0.01


def test_monochrome1_is_inverted_so_that_bone_is_bright(testdata):
    path = testdata("RG1_UNCI.dcm")
    raw = pydicom.dcmread(path).pixel_array.astype(np.float64)
    image = read_dicom_frames(path)
    assert image.photometric == "MONOCHROME1"
    assert np.corrcoef(raw.ravel()[::97], image.frames[0].ravel()[::97])[0, 1] < -0.9


def test_each_frame_of_a_multi_frame_file_is_an_image(testdata):
    assert read_dicom_frames(testdata("emri_small.dcm")).frames.shape == (10, 64, 64)
    enhanced_ct = read_dicom_frames(testdata("eCT_Supplemental.dcm"))
    assert enhanced_ct.is_hu and enhanced_ct.frames.shape == (2, 512, 512)
    assert enhanced_ct.frames.min() == pytest.approx(-1024.0)  # rescale from functional groups


def test_colour_images_become_grey(testdata):
    image = read_dicom_frames(testdata("SC_rgb_2frame.dcm"))
    assert image.frames.shape == (2, 100, 100)
    assert read_dicom_frames(testdata("OBXXXX1A.dcm")).frames.ndim == 3  # palette colour


@pytest.mark.parametrize("name", ["test-SR.dcm", "rtstruct.dcm", "rtplan.dcm"])
def test_objects_without_pixels_are_refused_as_not_images(testdata, name):
    with pytest.raises(DataError, match="not an image"):
        read_dicom_frames(testdata(name))


def test_the_size_limit_is_checked_before_decoding(testdata, monkeypatch):
    ds = pydicom.dcmread(testdata("CT_small.dcm"))
    ds.Rows, ds.Columns, ds.NumberOfFrames = 60000, 60000, 10  # a header that claims 36 G pixels

    def must_not_decode(*args, **kwargs):  # pragma: no cover - the point is it is never called
        raise AssertionError("decoded before checking the size")

    monkeypatch.setattr(pydicom.Dataset, "pixel_array", property(must_not_decode))
    with pytest.raises(DataError, match="too large"):
        read_dicom_frames(ds)


def test_a_truncated_file_is_reported(testdata):
    with pytest.raises(DataError, match="less than expected"):
        read_dicom_frames(testdata("MR_truncated.dcm"))


def test_a_file_cut_in_half_is_reported(testdata):
    data = testdata("CT_small.dcm").read_bytes()
    with pytest.raises(DataError):
        read_dicom_frames(data[: len(data) // 2])


def test_text_and_png_files_named_dcm_are_refused(tmp_path):
    text = tmp_path / "notes.dcm"
    text.write_text("patient looked fine\n" * 20)
    with pytest.raises(DataError, match="not a DICOM file"):
        read_dicom_frames(text)
    png = tmp_path / "picture.dcm"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with pytest.raises(DataError, match="PNG"):
        read_dicom_frames(png)


def test_it_reads_from_bytes(testdata):
    frames = read_dicom_frames(testdata("CT_small.dcm").read_bytes()).frames
    assert frames.shape == (1, 128, 128)

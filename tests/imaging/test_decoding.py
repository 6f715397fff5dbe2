"""Decoding real DICOM files (pydicom's and pydicom-data's test files) and rasters, limits first."""
from __future__ import annotations

import io

import numpy as np
import pytest
from pydicom import dcmread
from pydicom.data import get_testdata_file
from PIL import Image as PILImage

from imaging.decoding import DecodeError, burned_in_reason, dicom_frames, raster_frames
from tests.imaging.files import bomb_png

LIMIT = 2**27


def _frames(name: str):
    return dicom_frames(dcmread(get_testdata_file(name), force=True), max_pixels=LIMIT)


def test_it_decodes_ct_to_hounsfield_units_with_its_pixel_spacing():
    frames = _frames("CT_small.dcm")
    assert frames.is_hu and frames.modality == "CT" and len(frames.frames) == 1
    assert frames.frames[0].min() < -500 and frames.pixel_spacing_mm == pytest.approx((0.661468, 0.661468))


def test_it_decodes_an_enhanced_multi_frame_ct_with_rescale_from_its_functional_groups():
    frames = _frames("eCT_Supplemental.dcm")
    assert frames.is_hu and len(frames.frames) == 2
    assert frames.frames[0].min() == pytest.approx(-1024, abs=1)
    assert frames.pixel_spacing_mm is not None


@pytest.mark.parametrize("name", ["JPEG2000.dcm", "JPEGLSNearLossless_16.dcm", "emri_small_RLE.dcm",
                                  "MR_small_bigendian.dcm", "JPGLosslessP14SV1_1s_1f_8b.dcm", "693_J2KR.dcm"])
def test_it_decodes_compressed_and_big_endian_transfer_syntaxes_into_16_bits(name):
    frames = _frames(name)
    for frame in frames.frames:
        assert frame.ndim == 2 and np.isfinite(frame).all()
        if not frames.is_hu:
            assert 0 <= frame.min() and frame.max() <= 65535


def test_it_inverts_monochrome1_so_that_high_values_are_bright():
    ds = dcmread(get_testdata_file("RG3_UNCR.dcm"))
    stored = ds.pixel_array.astype(float)
    frames = dicom_frames(ds, max_pixels=LIMIT)
    assert "MONOCHROME1 inverted to MONOCHROME2." in frames.notes
    assert np.allclose(frames.frames[0], stored.max() + stored.min() - stored)


def test_it_converts_colour_ultrasound_to_grayscale():
    frames = _frames("US1_UNCR.dcm")
    assert frames.frames[0].shape == (480, 640) and "Colour image converted to grayscale." in frames.notes


@pytest.mark.parametrize("name", ["test-SR.dcm", "rtstruct.dcm", "liver.dcm"])
def test_it_rejects_dicom_objects_that_are_not_images(name):
    with pytest.raises(DecodeError, match="Not an image"):
        _frames(name)


def test_it_checks_rows_columns_and_frames_before_decoding():
    ds = dcmread(get_testdata_file("CT_small.dcm"))
    ds.NumberOfFrames = 10
    with pytest.raises(DecodeError, match="Too large"):
        dicom_frames(ds, max_pixels=128 * 128 * 5)


def test_it_flags_burned_in_annotation_and_secondary_captures():
    ds = dcmread(get_testdata_file("CT_small.dcm"))
    assert burned_in_reason(ds) is None
    ds.BurnedInAnnotation = "YES"
    assert "BurnedInAnnotation" in burned_in_reason(ds)
    assert "Secondary Capture" in burned_in_reason(dcmread(get_testdata_file("SC_rgb.dcm")))


def test_a_png_declaring_more_pixels_than_pillow_allows_is_a_decompression_bomb(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(bomb_png())
    with pytest.raises(DecodeError, match="decompression bomb"):
        raster_frames(path, modality="OT", max_pixels=10**12)


def test_a_ct_png_holds_hu_plus_1024_and_a_multi_page_tiff_gives_one_frame_per_page(tmp_path):
    png = tmp_path / "ct.png"
    PILImage.fromarray(np.full((8, 8), 1024 + 40, dtype=np.uint16)).save(png)
    frames = raster_frames(png, modality="CT", max_pixels=LIMIT)
    assert frames.is_hu and frames.frames[0].max() == 40
    tif = tmp_path / "pages.tif"
    pages = [PILImage.fromarray(np.full((8, 8), v, dtype=np.uint16)) for v in (1, 2, 3)]
    pages[0].save(tif, save_all=True, append_images=pages[1:])
    assert [f.max() for f in raster_frames(tif, modality="MR", max_pixels=LIMIT).frames] == [1, 2, 3]


def test_a_colour_png_is_converted_to_grayscale(tmp_path):
    out = io.BytesIO()
    PILImage.new("RGB", (4, 4), (200, 10, 10)).save(out, format="PNG")
    path = tmp_path / "rgb.png"
    path.write_bytes(out.getvalue())
    frames = raster_frames(path, modality="OT", max_pixels=LIMIT)
    assert frames.notes == ["Colour image converted to grayscale."]


def test_one_pixel_ceiling_the_engines_default_unless_the_setting_says_otherwise(settings):
    from gan_engine.data.dicom import DEFAULT_MAX_PIXELS
    from imaging.decoding import pixel_limit

    settings.IMAGING_MAX_PIXELS = 0
    assert pixel_limit() == DEFAULT_MAX_PIXELS == PILImage.MAX_IMAGE_PIXELS == 89_478_485
    settings.IMAGING_MAX_PIXELS = 128 * 128 - 1  # one value fewer than CT_small holds
    with pytest.raises(DecodeError, match="Too large"):
        dicom_frames(dcmread(get_testdata_file("CT_small.dcm")))


def test_it_decodes_with_the_engines_reader_so_both_give_the_same_hounsfield_units():
    from gan_engine.data.dicom import read_dicom_frames

    engine = read_dicom_frames(get_testdata_file("CT_small.dcm"))
    platform_frames = _frames("CT_small.dcm")
    assert engine.is_hu and platform_frames.is_hu
    np.testing.assert_array_equal(platform_frames.frames[0], engine.frames[0])

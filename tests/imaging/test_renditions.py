"""The rendition pipeline as plain functions over arrays (no database)."""
from __future__ import annotations

import io

import numpy as np
from PIL import Image as PILImage
from PIL import PngImagePlugin

from imaging.renditions import (CANONICAL_SIZE, apply_window, encode_png, make_renditions, png_chunks,
                                resample_to_canonical, strip_png, window_presets)


def test_the_linear_window_follows_dicom_ps3_3_c_11_2_1_2():
    values = np.array([-1000.0, -160.0, 40.0, 239.5, 240.0, 1000.0])
    out = apply_window(values, center=40, width=400)
    assert out[0] == 0 and out[-1] == 255
    assert out[2] in (127, 128)  # the centre maps to mid-grey
    assert out[4] == 255 and 250 <= out[3] <= 255


def test_a_non_square_image_keeps_its_physical_aspect_on_the_canonical_matrix():
    values = np.full((100, 300), 500.0)
    canvas, scaled, spacing = resample_to_canonical(values, spacing_mm=(2.0, 1.0), background=0.0)
    # 200 mm high, 300 mm wide -> 300/512 mm pixels; the image is 341 x 512 px, centred
    assert canvas.shape == (CANONICAL_SIZE, CANONICAL_SIZE)
    assert scaled.shape == (341, 512) and spacing == 300 / 512
    assert canvas[0, 0] == 0 and canvas[256, 256] == 500


def test_png_files_keep_only_critical_chunks_even_when_the_input_had_text_time_gamma_and_icc():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "patient Zyxwabc")
    info.add_itxt("Author", "someone", zip=True)
    buffer = io.BytesIO()
    PILImage.new("L", (4, 4)).save(buffer, format="PNG", pnginfo=info, dpi=(72, 72), icc_profile=b"\x00" * 128)
    original = buffer.getvalue()
    assert {c for c, _ in png_chunks(original)} > {b"IHDR", b"IDAT", b"IEND"}
    stripped = strip_png(original)
    assert [c for c, _ in png_chunks(stripped)] == [b"IHDR", b"IDAT", b"IEND"]
    assert np.array_equal(np.asarray(PILImage.open(io.BytesIO(stripped))), np.zeros((4, 4), np.uint8))


def test_encoding_is_deterministic_so_the_etag_is_a_content_hash():
    array = np.arange(256, dtype=np.uint16).reshape(16, 16) * 200
    assert encode_png(array) == encode_png(array.copy())


def test_ct_gets_the_five_reviewed_presets_and_other_modalities_a_percentile_window():
    presets, default = window_presets("CT", np.zeros((4, 4)), is_hu=True)
    assert {p["name"]: (p["width"], p["center"]) for p in presets} == {
        "Soft tissue": (400, 40), "Lung": (1500, -600), "Mediastinum": (350, 50), "Bone": (2000, 300),
        "Brain": (80, 40)}
    assert default["name"] == "Soft tissue"
    values = np.arange(1000, dtype=float).reshape(10, 100)
    presets, default = window_presets("MR", values, is_hu=False)
    assert default["name"] == "Auto" and 480 < default["center"] < 520 and 950 < default["width"] < 990


def test_every_image_comes_out_the_same_size_and_bit_depth_whatever_goes_in():
    small = make_renditions(np.zeros((64, 64)), is_hu=True, modality="CT", pixel_spacing_mm=0.7)
    large = make_renditions(np.ones((700, 900)) * 3000, is_hu=False, modality="DX", pixel_spacing_mm=(0.1, 0.1))
    for a, b in ((small.master_png, large.master_png), (small.display_png, large.display_png),
                 (small.thumb_png, large.thumb_png)):
        assert png_chunks(a)[0][1] == png_chunks(b)[0][1]

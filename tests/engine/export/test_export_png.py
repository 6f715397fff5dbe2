"""16-bit PNG masters with provenance text chunks."""
import numpy as np
import pytest
from PIL import Image

from gan_engine.conditions import Condition
from gan_engine.export import SYNTHETIC_COMMENT, Provenance, export_png, read_png, read_png_provenance

PROVENANCE = Provenance("radturing-chest-gan", "1.2.0", "ab" * 32, 3,
                        (Condition("ground_glass_nodule", 0.5, 0.7, 0.4),))


def test_pixels_and_provenance_come_back_intact(tmp_path):
    hu = np.random.default_rng(0).integers(-1024, 3000, size=(40, 30))
    path = export_png(hu, provenance=PROVENANCE, path=tmp_path / "a.png", pixel_values="hu",
                      spacing_mm=(0.7, 0.7))
    pixels, provenance = read_png(path)
    np.testing.assert_array_equal(pixels, hu)
    assert provenance == PROVENANCE
    assert read_png_provenance(path) == PROVENANCE


def test_the_file_is_a_16_bit_grayscale_master_of_hu_plus_1024(tmp_path):
    path = export_png(np.array([[-1024.0, 0.0], [40.0, 600.0]]), provenance=PROVENANCE,
                      path=tmp_path / "b.png", pixel_values="hu")
    with Image.open(path) as im:
        assert im.mode.startswith("I")
        np.testing.assert_array_equal(np.asarray(im), [[0, 1024], [1064, 1624]])
        text = im.text
    assert text["Disclaimer"] == SYNTHETIC_COMMENT
    assert text["radturing:seed"] == "3"
    assert text["radturing:checkpoint_sha256"] == "ab" * 32
    assert text["Source"] == "radturing-chest-gan 1.2.0"
    assert text["radturing:hu_offset"] == "1024"


def test_a_png_without_our_chunks_is_refused(tmp_path):
    path = tmp_path / "plain.png"
    Image.fromarray(np.zeros((4, 4), dtype=np.uint16)).save(path)
    with pytest.raises(ValueError, match="disclaimer"):
        read_png(path)
    with pytest.raises(ValueError, match="radturing:provenance"):
        read_png_provenance(path)


def test_an_8_bit_png_is_refused(tmp_path):
    path = tmp_path / "rgb.png"
    Image.fromarray(np.zeros((4, 4, 3), dtype=np.uint8)).save(path)
    with pytest.raises(ValueError, match="16-bit grayscale"):
        read_png(path)


def test_a_provenance_with_several_conditions_is_refused(tmp_path):
    two = Provenance("m", "1", "ab" * 32, 0, (Condition(), Condition()))
    with pytest.raises(ValueError, match="exactly one condition"):
        export_png(np.zeros((4, 4)), provenance=two, path=tmp_path / "c.png")

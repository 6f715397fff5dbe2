"""HU <-> 16-bit master values: exact on whole HU, saturating outside the uint16 range."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gan_engine.conditions import Condition
from gan_engine.export import Provenance, export_png, read_png
from gan_engine.export.pixels import as_hu_stack, hu_to_stored, stored_to_hu

WHOLE_HU = arrays(np.int32, st.tuples(st.integers(1, 6), st.integers(1, 6)),
                  elements=st.integers(-1024, 64511))


@given(WHOLE_HU)
def test_whole_hu_survive_the_uint16_master_exactly(hu):
    np.testing.assert_array_equal(stored_to_hu(hu_to_stored(hu.astype(float))), hu)


def test_values_outside_the_master_range_saturate():
    np.testing.assert_array_equal(hu_to_stored(np.array([-3000.0, 70000.0])), [0, 65535])


def test_a_single_image_and_a_channel_axis_become_a_stack():
    assert as_hu_stack(np.zeros((5, 6)), pixel_values="hu").shape == (1, 5, 6)
    assert as_hu_stack(np.zeros((3, 1, 5, 6)), pixel_values="hu").shape == (3, 5, 6)


@settings(max_examples=15, deadline=None)
@given(WHOLE_HU)
def test_png_masters_round_trip_any_whole_hu_image(tmp_path_factory, hu):
    path = tmp_path_factory.mktemp("png") / "x.png"
    provenance = Provenance("m", "1", "c" * 64, 1, (Condition(),))
    export_png(hu.astype(float), provenance=provenance, path=path, pixel_values="hu")
    pixels, back = read_png(path)
    np.testing.assert_array_equal(pixels, hu)
    assert back == provenance

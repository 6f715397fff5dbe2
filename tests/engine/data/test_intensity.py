from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from gan_engine.data.intensity import (
    DEFAULT_HU_RANGE,
    WINDOW_PRESETS,
    apply_window,
    hu_to_unit,
    unit_to_hu,
    window_preset,
)


def test_it_maps_the_hu_range_ends_to_minus_one_and_one():
    out = hu_to_unit(np.array([-1024.0, 600.0, -212.0]))
    assert out == pytest.approx([-1.0, 1.0, 0.0])


def test_it_clips_values_outside_the_range():
    assert hu_to_unit(np.array([-3000.0, 3000.0])) == pytest.approx([-1.0, 1.0])


@given(st.floats(min_value=-1024.0, max_value=600.0))
def test_unit_to_hu_inverts_hu_to_unit(hu):
    assert float(unit_to_hu(hu_to_unit(np.float64(hu)))) == pytest.approx(hu, abs=1e-6)


def test_it_works_on_torch_tensors_and_keeps_them_tensors():
    t = torch.tensor([-1024, 0, 600], dtype=torch.int16)
    unit = hu_to_unit(t)
    assert isinstance(unit, torch.Tensor) and unit.is_floating_point()
    assert torch.allclose(unit_to_hu(unit), t.float(), atol=1e-3)


def test_it_rejects_an_empty_hu_range():
    with pytest.raises(ValueError):
        hu_to_unit(np.zeros(3), (100.0, 100.0))


def test_the_lung_window_spans_minus_1350_to_150_hu():
    centre, width = WINDOW_PRESETS["lung"]
    out = apply_window(np.array([-1350.0, -600.0, 150.0, 2000.0]), centre, width)
    assert out == pytest.approx([0.0, 0.5, 1.0, 1.0])


def test_it_knows_the_five_reading_presets():
    assert window_preset("mediastinum") == (50.0, 350.0)
    assert set(WINDOW_PRESETS) == {"lung", "mediastinum", "soft_tissue", "bone", "brain"}
    with pytest.raises(ValueError, match="unknown window"):
        window_preset("abdomen-ish")


def test_default_range_covers_air_to_enhanced_blood():
    low, high = DEFAULT_HU_RANGE
    assert low <= -1000 and high >= 400

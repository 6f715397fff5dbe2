from __future__ import annotations

import numpy as np
import pytest

from gan_engine.data.example_ct import (
    ENV_DIR,
    ExampleCTMissing,
    example_ct_dir,
    lung_slice_indices,
    real_lesion_slices,
)


def _centroid_rc(mask: np.ndarray) -> tuple[float, float]:
    _, rows, cols = np.nonzero(mask)
    return float(rows.mean()), float(cols.mean())


def test_it_finds_the_example_ct_with_its_shape_and_spacing(example_ct):
    assert example_ct.hu.shape == (133, 512, 512)
    assert example_ct.hu.dtype == np.int16
    assert example_ct.labels.shape == example_ct.hu.shape
    assert example_ct.spacing_mm == pytest.approx((2.5, 0.703125, 0.703125))
    assert example_ct.hu.min() >= -1024  # outside-of-field padding clipped to air


def test_it_shows_the_patients_left_on_the_image_right(example_ct):
    width = example_ct.hu.shape[2]
    _, heart_col = _centroid_rc(example_ct.mask("heart"))
    _, liver_col = _centroid_rc(example_ct.mask("liver"))
    assert heart_col > width / 2 + 10  # the heart lies mostly in the patient's left chest
    assert liver_col < width / 2 - 30  # the liver lies on the patient's right


def test_it_puts_anterior_at_the_top(example_ct):
    sternum_row, _ = _centroid_rc(example_ct.mask("sternum"))
    spine_row, _ = _centroid_rc(example_ct.mask("vertebrae_T6", "vertebrae_T7", "vertebrae_T8"))
    assert sternum_row < spine_row - 100


def test_it_orders_slices_from_feet_to_head(example_ct):
    liver_z = np.nonzero(example_ct.mask("liver"))[0].mean()
    thyroid_z = np.nonzero(example_ct.mask("thyroid_gland"))[0].mean()
    assert liver_z < thyroid_z


def test_lung_slices_contain_plenty_of_aerated_lung(example_ct):
    lung = example_ct.lung_mask()
    index = lung_slice_indices(example_ct)
    area = lung.sum(axis=(1, 2))
    assert len(index) >= 40
    assert (area[index] >= 0.3 * area.max()).all()
    hu = example_ct.hu[index][lung[index]]
    assert np.median(hu) < -800  # aerated lung, not soft tissue


def test_it_leaves_out_the_slices_of_the_patients_real_mass(example_ct):
    mass = real_lesion_slices(example_ct)
    assert 90 in mass  # the ~2 cm left-lower-lobe mass spans slices 87-93
    assert len(mass) < 20
    assert not set(mass) & set(lung_slice_indices(example_ct))


def test_it_says_how_to_fix_a_missing_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_DIR, str(tmp_path))
    with pytest.raises(ExampleCTMissing, match=ENV_DIR):
        example_ct_dir()


def test_the_environment_variable_overrides_the_installed_folder(example_ct, monkeypatch):
    monkeypatch.setenv(ENV_DIR, str(example_ct.source_dir))
    assert example_ct_dir() == example_ct.source_dir

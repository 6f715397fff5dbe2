"""Nodule placement: the lung is found in the anatomy, and a nodule that would not lie in it is moved
into the same lung, where it fits; one that fits stays exactly where it was asked for."""
from __future__ import annotations

import numpy as np
import pytest

from gan_engine import Condition, generate, progression
from gan_engine.data.intensity import unit_to_hu
from gan_engine.placement import lung_mask, place_in_lung


def phantom(side: int = 64) -> np.ndarray:
    """HU [side, side]: air outside an elliptic body (40 HU) holding two lungs (-850 HU)."""
    yy, xx = (np.mgrid[:side, :side] + 0.5) / side
    hu = np.full((side, side), -1000.0)
    hu[((xx - 0.5) / 0.45) ** 2 + ((yy - 0.5) / 0.35) ** 2 <= 1] = 40.0
    for cx in (0.3, 0.7):
        hu[((xx - cx) / 0.13) ** 2 + ((yy - 0.5) / 0.22) ** 2 <= 1] = -850.0
    return hu


def test_the_lung_is_the_air_inside_the_body_not_around_it():
    hu = phantom()
    mask = lung_mask(hu)
    assert mask.sum() == (hu == -850).sum()
    assert not mask[0].any() and not mask[:, 0].any()


def test_the_lung_mask_of_the_real_example_ct_matches_its_lung_labels():
    from gan_engine.data.example_ct import load_example_ct, lung_slice_indices

    ct = load_example_ct()
    k = int(lung_slice_indices(ct)[len(lung_slice_indices(ct)) // 2])
    found, labelled = lung_mask(ct.hu[k].astype(np.float32)), ct.lung_mask()[k]
    dice = 2 * (found & labelled).sum() / (found.sum() + labelled.sum())
    assert dice >= 0.9, dice


def test_a_nodule_that_fits_stays_exactly_where_it_was_asked_for():
    assert place_in_lung(phantom(), 0.3, 0.5, diameter_px=4) == (0.3, 0.5, False)


def test_a_nodule_in_the_mediastinum_moves_into_the_same_lung_where_it_fits():
    hu = phantom()
    for x, lung_x in ((0.45, 0.3), (0.55, 0.7)):
        where = place_in_lung(hu, x, 0.5, diameter_px=6)
        assert where.moved and (where.x < 0.5) == (x < 0.5)
        assert abs(where.x - lung_x) < 0.13 and abs(where.y - 0.5) < 0.1
        col, row = int(where.x * 64), int(where.y * 64)
        # every pixel within the nodule's radius (3 px) is lung
        yy, xx = np.mgrid[:64, :64]
        disc = (yy - row) ** 2 + (xx - col) ** 2 <= 9
        assert lung_mask(hu)[disc].all()


def test_a_half_without_lung_leaves_the_position_as_asked():
    hu = phantom()
    hu[:, :32][hu[:, :32] == -850] = 40.0  # no right lung
    assert place_in_lung(hu, 0.3, 0.5, diameter_px=4) == (0.3, 0.5, False)


@pytest.mark.slow
def test_the_demo_models_nodules_lie_in_the_lungs_of_their_own_patients(demo_model):
    asked = Condition("solid_nodule", 0.7, 0.3, 0.45)
    samples = generate(demo_model, 16, asked, seed=0)
    exact = generate(demo_model, 16, asked, seed=0, placement="exact")
    assert samples.extras["requested_conditions"] == [asked] * 16
    assert all(c == asked for c in exact.conditions)
    anatomy = unit_to_hu(samples.extras["anatomy"])[:, 0].numpy()
    side = anatomy.shape[-1]
    assert samples.moved_into_lung == [c != asked for c in samples.conditions]
    assert any(samples.moved_into_lung) and exact.moved_into_lung == [False] * 16
    for i, c in enumerate(samples.conditions):
        assert lung_mask(anatomy[i])[int(c.y * side), int(c.x * side)], (i, c)
        assert c.x < 0.5  # still the patient's right lung
        if c == asked:  # untouched images are bit-for-bit the exact ones
            assert np.array_equal(samples.images[i].numpy(), exact.images[i].numpy())


def test_a_progression_keeps_one_position_for_all_its_frames(demo_model):
    series = progression(demo_model, "growth", seed=3, steps=5, finding="solid_nodule", position=(0.45, 0.5))
    assert len({(c.x, c.y) for c in series.conditions}) == 1
    assert series.moved_into_lung == [(c.x, c.y) != (0.45, 0.5) for c in series.conditions]
    c = series.conditions[0]
    anatomy = unit_to_hu(series.anatomy)[0, 0].numpy()
    assert lung_mask(anatomy)[int(c.y * anatomy.shape[0]), int(c.x * anatomy.shape[1])]


def test_an_unknown_placement_is_refused(demo_model):
    with pytest.raises(ValueError, match="placement must be one of lung, exact"):
        generate(demo_model, 1, Condition("solid_nodule", 0.5), seed=0, placement="anywhere")

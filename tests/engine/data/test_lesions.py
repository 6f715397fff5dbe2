from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage as ndi

from gan_engine.data.lesions import insert_nodule, lung_distance_mm


def _deep_centre(lung: np.ndarray, spacing: float) -> tuple[int, int]:
    depth = lung_distance_mm(lung, spacing)
    r, c = np.unravel_index(int(np.argmax(depth)), depth.shape)
    return int(r), int(c)


def _insert(lung_slice, seed=0, **kwargs):
    hu, lung, spacing = lung_slice
    kwargs.setdefault("finding", "solid_nodule")
    kwargs.setdefault("diameter_mm", 12.0)
    return insert_nodule(hu, lung, spacing, rng=np.random.default_rng(seed), **kwargs)


def _perimeter_px(mask: np.ndarray) -> int:
    return int((mask & ~ndi.binary_erosion(mask)).sum())


@pytest.mark.parametrize("diameter", [6.0, 12.0, 24.0])
def test_a_smooth_nodule_covers_the_area_of_its_diameter(lung_slice, diameter):
    hu, lung, spacing = lung_slice
    lesion = _insert(lung_slice, diameter_mm=diameter, centre_rc=_deep_centre(lung, spacing))
    area_mm2 = lesion.lesion_mask.sum() * spacing**2
    assert area_mm2 == pytest.approx(np.pi * (diameter / 2) ** 2, rel=0.15)


@pytest.mark.parametrize("seed", range(5))
def test_it_keeps_a_sampled_nodule_inside_the_lung(lung_slice, seed):
    hu, lung, spacing = lung_slice
    lesion = _insert(lung_slice, seed=seed, diameter_mm=20.0, margin="lobulated")
    r, c = (int(round(v)) for v in lesion.centre_rc)
    assert lung[r, c]
    assert not (lesion.lesion_mask & ~lung).any()
    # at least 90% of a disk of the nominal diameter lies in the lung
    yy, xx = np.mgrid[: lung.shape[0], : lung.shape[1]]
    disk = np.hypot(yy - lesion.centre_rc[0], xx - lesion.centre_rc[1]) * spacing <= 10.0
    assert (disk & lung).sum() >= 0.85 * disk.sum()


def test_a_solid_nodule_has_soft_tissue_attenuation(lung_slice):
    hu, lung, spacing = lung_slice
    lesion = _insert(lung_slice, diameter_mm=14.0, centre_rc=_deep_centre(lung, spacing))
    core = ndi.binary_erosion(lesion.lesion_mask, iterations=3)
    assert 10.0 <= np.median(lesion.image_hu[core]) <= 70.0


def test_a_ground_glass_nodule_lies_between_lung_and_soft_tissue(lung_slice):
    hu, lung, spacing = lung_slice
    lesion = _insert(lung_slice, finding="ground_glass_nodule", diameter_mm=16.0,
                     centre_rc=_deep_centre(lung, spacing))
    core = ndi.binary_erosion(lesion.lesion_mask, iterations=3)
    assert -750.0 <= np.median(lesion.image_hu[core]) <= -350.0
    assert np.median(lesion.image_hu[core]) > np.median(hu[core]) + 150.0


def test_vessels_stay_visible_through_ground_glass(lung_slice):
    hu, lung, spacing = lung_slice
    lesion = _insert(lung_slice, finding="ground_glass_nodule", diameter_mm=24.0,
                     centre_rc=_deep_centre(lung, spacing), seed=3)
    inside = lesion.lesion_mask
    vessel = inside & (hu > -200.0)
    parenchyma = inside & (hu < -800.0)
    assert vessel.sum() > 0, "the test slice needs a vessel under the nodule"
    # a blend, not an overwrite: vessels stay brighter than the haze around them
    assert np.median(lesion.image_hu[vessel]) > np.median(lesion.image_hu[parenchyma]) + 200.0


def test_a_part_solid_nodule_has_a_solid_core_in_a_ground_glass_rim(lung_slice):
    hu, lung, spacing = lung_slice
    lesion = _insert(lung_slice, finding="part_solid_nodule", diameter_mm=20.0,
                     centre_rc=_deep_centre(lung, spacing))
    r, c = lesion.centre_rc
    yy, xx = np.mgrid[: hu.shape[0], : hu.shape[1]]
    dist_mm = np.hypot(yy - r, xx - c) * spacing
    core = dist_mm <= 2.0
    rim = (dist_mm >= 8.0) & (dist_mm <= 9.0) & lesion.lesion_mask & (hu < -700)
    assert np.median(lesion.image_hu[core]) > -100.0
    assert -800.0 < np.median(lesion.image_hu[rim]) < -300.0


def test_spiculated_and_lobulated_margins_are_longer_than_smooth_ones(lung_slice):
    hu, lung, spacing = lung_slice
    centre = _deep_centre(lung, spacing)

    def roundness(margin: str) -> float:
        values = []
        for seed in range(3):
            mask = _insert(lung_slice, seed=seed, diameter_mm=18.0, margin=margin,
                           centre_rc=centre).lesion_mask
            values.append(_perimeter_px(mask) ** 2 / mask.sum())  # isoperimetric ratio
        return float(np.mean(values))

    smooth = roundness("smooth")
    assert roundness("lobulated") > smooth
    assert roundness("spiculated") > 1.2 * smooth


def test_it_is_deterministic_for_the_same_generator_state(lung_slice):
    a = _insert(lung_slice, seed=7, finding="part_solid_nodule", margin="spiculated")
    b = _insert(lung_slice, seed=7, finding="part_solid_nodule", margin="spiculated")
    c = _insert(lung_slice, seed=8, finding="part_solid_nodule", margin="spiculated")
    assert np.array_equal(a.image_hu, b.image_hu) and a.centre_rc == b.centre_rc
    assert not np.array_equal(a.image_hu, c.image_hu)


def test_it_changes_only_pixels_near_the_nodule_and_not_the_input(lung_slice):
    hu, lung, spacing = lung_slice
    before = hu.copy()
    lesion = _insert(lung_slice, diameter_mm=10.0)
    assert np.array_equal(hu, before)
    changed = np.argwhere(lesion.image_hu != hu)
    distance_mm = np.hypot(*(changed - np.array(lesion.centre_rc)).T) * spacing
    assert distance_mm.max() < 10.0 + 8.0
    assert not (lesion.image_hu != hu)[~lung].any()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"finding": "normal"}, "finding"),
        ({"finding": "cavity"}, "finding"),
        ({"diameter_mm": 3.0}, "diameter"),
        ({"diameter_mm": 31.0}, "diameter"),
        ({"margin": "fuzzy"}, "margin"),
        ({"centre_rc": (5, 5)}, "not inside the lung"),
    ],
)
def test_it_rejects_impossible_requests(lung_slice, kwargs, message):
    with pytest.raises(ValueError, match=message):
        _insert(lung_slice, **kwargs)

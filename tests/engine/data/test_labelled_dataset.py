from __future__ import annotations

import numpy as np
import pytest
import torch

from gan_engine.conditions import FINDING_CLASSES, diameter_mm_to_severity
from gan_engine.data.labelled import LabelledCTDataset, example_slices, real_images


@pytest.fixture(scope="module")
def dataset():
    return LabelledCTDataset(64, seed=0, length=100)


def _centroid_xy(mask: torch.Tensor) -> np.ndarray:
    m = mask[0].numpy().astype(np.float64)
    h, w = m.shape
    yy, xx = np.mgrid[:h, :w]
    return np.array([(m * (xx + 0.5)).sum() / m.sum() / w, (m * (yy + 0.5)).sum() / m.sum() / h])


def test_items_follow_the_training_contract(dataset):
    for i in range(12):
        item = dataset[i]
        assert item["image"].shape == (1, 64, 64) and item["image"].dtype == torch.float32
        assert item["image"].min() >= -1.0 and item["image"].max() <= 1.0
        for key in ("lesion_mask", "lung_mask"):
            assert item[key].shape == (1, 64, 64) and item[key].dtype == torch.float32
            assert item[key].min() >= 0.0 and item[key].max() <= 1.0
        assert item["finding"].dtype == torch.int64 and item["finding"].shape == ()
        assert 0 <= int(item["finding"]) < len(FINDING_CLASSES)
        assert item["severity"].dtype == torch.float32 and 0.0 <= float(item["severity"]) <= 1.0
        assert item["position"].shape == (2,) and item["position"].dtype == torch.float32
        assert float(item["pixel_spacing_mm"]) == pytest.approx(0.703125 * 512 / 64)
        assert item["lung_mask"].sum() > 64 * 64 * 0.04  # ≥ 30% of the largest lung section


def test_the_lesion_mask_sits_where_position_says(dataset):
    checked = 0
    for i in range(40):
        item = dataset[i]
        if int(item["finding"]) == 0:
            continue
        assert item["lesion_mask"].sum() > 0
        centroid = _centroid_xy(item["lesion_mask"])
        # spicules and clipping at the pleura pull the centroid a little: allow 1.5 px
        assert np.abs(centroid - item["position"].numpy()).max() < 1.5 / 64
        assert float(item["severity"]) == pytest.approx(
            diameter_mm_to_severity(float(item["diameter_mm"])), abs=1e-6)
        checked += 1
    assert checked >= 20


def test_normal_items_have_no_lesion(dataset):
    normals = [dataset[i] for i in range(40) if int(dataset[i]["finding"]) == 0]
    assert normals
    for item in normals:
        assert item["lesion_mask"].sum() == 0
        assert float(item["severity"]) == 0.0
        assert item["position"].tolist() == [0.5, 0.5]


def test_an_item_depends_only_on_the_seed_and_its_index():
    a = LabelledCTDataset(64, seed=5)[17]
    b = LabelledCTDataset(64, seed=5)[17]
    c = LabelledCTDataset(64, seed=6)[17]
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert not torch.equal(a["image"], c["image"])


def test_finding_probabilities_choose_the_classes():
    only_ggn = LabelledCTDataset(64, finding_probs={"ground_glass_nodule": 1.0})
    assert {int(only_ggn[i]["finding"]) for i in range(10)} == {3}
    with pytest.raises(ValueError, match="unknown findings"):
        LabelledCTDataset(64, finding_probs={"pneumothorax": 1.0})


def test_augmentation_never_mirrors_left_and_right(dataset):
    slices = example_slices(64)[:, 0]
    mirrored = slices[:, :, ::-1]
    for i in range(6):
        image = dataset[i]["image"][0].numpy()
        same = min(np.abs(slices - image).mean(axis=(1, 2)))
        flipped = min(np.abs(mirrored - image).mean(axis=(1, 2)))
        assert same < flipped


def test_without_augmentation_a_normal_item_is_a_real_slice():
    data = LabelledCTDataset(64, augment=False, finding_probs={"normal": 1.0})
    slices = example_slices(64)[:, 0]
    image = data[0]["image"][0].numpy()
    assert min(np.abs(slices - image).max(axis=(1, 2))) < 1e-5


@pytest.mark.parametrize("size", [128, 256])
def test_it_makes_larger_sizes_too(size):
    item = LabelledCTDataset(size, finding_probs={"solid_nodule": 1.0})[0]
    assert item["image"].shape == (1, size, size)
    assert float(item["pixel_spacing_mm"]) == pytest.approx(360.0 / size)


def test_it_rejects_sizes_that_do_not_divide_the_ct():
    with pytest.raises(ValueError, match="size"):
        LabelledCTDataset(100)


def test_example_slices_come_plain_or_windowed():
    plain = example_slices(64)
    lung = example_slices(64, window="lung")
    assert plain.shape == lung.shape and plain.shape[1:] == (1, 64, 64) and len(plain) >= 40
    assert plain.dtype == np.float32 and plain.min() >= -1.0 and plain.max() <= 1.0
    assert lung.min() >= 0.0 and lung.max() <= 1.0


def test_real_images_are_a_reproducible_float_array():
    a = real_images(8, 64, seed=1)
    assert a.shape == (8, 1, 64, 64) and a.dtype == np.float32
    assert np.array_equal(a, real_images(8, 64, seed=1))
    assert -1.0 <= a.min() and a.max() <= 1.0

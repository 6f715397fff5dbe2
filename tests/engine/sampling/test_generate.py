"""generate(): shapes, value range, exact per-image conditions/seeds, bit-for-bit reproducibility."""
from __future__ import annotations

import pytest
import torch

from gan_engine import Condition, generate
from gan_engine.data.intensity import DEFAULT_HU_RANGE


def test_the_same_seed_gives_identical_bits(tiny_model) -> None:
    cond = Condition("solid_nodule", 0.5, 0.3, 0.45)
    a = generate(tiny_model, 4, cond, seed=11)
    b = generate(tiny_model, 4, cond, seed=11)
    assert torch.equal(a.images, b.images)
    assert not torch.equal(a.images, generate(tiny_model, 4, cond, seed=12).images)


def test_image_i_depends_only_on_its_seed_not_on_n_or_batching(tiny_model) -> None:
    cond = Condition("ground_glass_nodule", 0.7, 0.6, 0.5)
    many = generate(tiny_model, 5, cond, seed=100, batch_size=2)
    one = generate(tiny_model, 1, cond, seed=103)
    assert many.seeds == [100, 101, 102, 103, 104]
    assert torch.allclose(many.images[3], one.images[0], atol=1e-6)


def test_it_returns_float32_images_in_unit_range_with_the_exact_conditions(tiny_model) -> None:
    conds = [Condition("normal"), Condition("solid_nodule", 0.2, 0.3, 0.4), Condition("part_solid_nodule", 1.0)]
    samples = generate(tiny_model, 3, conds, seed=0)
    assert samples.images.dtype == torch.float32 and samples.images.shape == (3, 1, 64, 64)
    assert samples.images.min() >= -1 and samples.images.max() <= 1
    assert samples.conditions == conds
    assert samples.lesion_masks[0].sum() == 0 and samples.lesion_masks[2].sum() > samples.lesion_masks[1].sum()
    assert samples.checkpoint_sha256 == tiny_model.sha256


def test_to_hu_maps_the_unit_scale_onto_the_default_hu_range(tiny_model) -> None:
    samples = generate(tiny_model, 2, Condition(), seed=0)
    hu = samples.to_hu()
    low, high = DEFAULT_HU_RANGE
    assert hu.min() >= low and hu.max() <= high
    assert torch.allclose(hu, (samples.images + 1) / 2 * (high - low) + low, atol=1e-3)


def test_a_condition_list_of_the_wrong_length_is_rejected(tiny_model) -> None:
    with pytest.raises(ValueError, match="2 conditions for n=3"):
        generate(tiny_model, 3, [Condition(), Condition()], seed=0)

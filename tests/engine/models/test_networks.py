"""Generator and discriminator: shapes, conditioning by construction, and the layered design."""
from __future__ import annotations

import pytest
import torch

from gan_engine.models import Discriminator, Generator
from gan_engine.models.lesion import radius_px

TINY = dict(z_dim=8, lesion_z_dim=4, cond_dim=8, width=4, max_width=8, lesion_width=4)


def inputs(n: int, finding: int = 1, severity: float = 0.5) -> tuple[torch.Tensor, ...]:
    g = torch.Generator().manual_seed(0)
    return (torch.randn(n, 12, generator=g), torch.full((n,), finding), torch.full((n,), severity),
            torch.tensor([[0.3, 0.45]]).repeat(n, 1))


@pytest.mark.parametrize("size", [64, 128, 256])
def test_generator_and_discriminator_handle_64_128_and_256_px(size: int) -> None:
    G = Generator(size=size, **TINY)
    D = Discriminator(size=size, width=4, max_width=8)
    latent, finding, severity, position = inputs(2)
    out = G(latent, finding, severity, position)
    assert out.image.shape == (2, 1, size, size)
    assert out.alpha.shape == out.support.shape == (2, 1, size, size)
    logits = D(out.image, finding, severity, position)
    assert logits.shape == (2,)
    assert torch.isfinite(logits).all()


def test_it_rejects_sizes_that_are_not_a_power_of_two() -> None:
    with pytest.raises(ValueError, match="power of two"):
        Generator(size=96, **TINY)


def test_normal_images_are_the_anatomy_layer_exactly() -> None:
    G = Generator(size=64, **TINY)
    out = G(*inputs(3, finding=0))
    assert torch.equal(out.alpha, torch.zeros_like(out.alpha))
    assert torch.equal(out.image, out.anatomy)


def test_severity_changes_only_the_lesion_region() -> None:
    G = Generator(size=64, **TINY)
    latent, finding, _, position = inputs(1)
    small = G(latent, finding, torch.tensor([0.1]), position)
    large = G(latent, finding, torch.tensor([0.9]), position)
    outside = (large.support < 1e-4) & (small.support < 1e-4)
    assert outside.float().mean() > 0.9
    assert torch.allclose(small.image[outside], large.image[outside], atol=1e-3)
    assert torch.equal(small.anatomy, large.anatomy)


def test_lesion_support_grows_monotonically_with_severity_at_every_pixel() -> None:
    G = Generator(size=64, **TINY)
    latent, finding, _, position = inputs(1)
    supports = [G(latent, finding, torch.tensor([s]), position).support for s in torch.linspace(0, 1, 8)]
    for a, b in zip(supports, supports[1:]):
        assert (b >= a - 1e-6).all()
    assert supports[-1].sum() > 4 * supports[0].sum()


def test_lesion_support_sits_at_the_requested_position_with_the_requested_diameter() -> None:
    G = Generator(size=128, pixel_spacing_mm=2.0, **{**TINY, "lesion_z_dim": 4})
    G.lesion.outline.weight.data.zero_()  # a perfect disc
    G.lesion.outline.bias.data.zero_()
    latent = torch.randn(1, 12)
    out = G(latent, torch.tensor([1]), torch.tensor([1.0]), torch.tensor([[0.25, 0.75]]))
    mask = out.support[0, 0] > 0.5
    ys, xs = torch.nonzero(mask, as_tuple=True)
    assert abs((xs.float().mean() + 0.5) / 128 - 0.25) < 0.01
    assert abs((ys.float().mean() + 0.5) / 128 - 0.75) < 0.01
    expected_radius = float(radius_px(torch.tensor(1.0), torch.tensor(2.0)))  # 30 mm / 2 / 2 mm = 7.5 px
    assert expected_radius == pytest.approx(7.5)
    assert mask.sum().item() == pytest.approx(3.14159 * expected_radius ** 2, rel=0.08)

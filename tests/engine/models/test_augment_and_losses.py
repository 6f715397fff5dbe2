"""DiffAugment and the RpGAN + R1/R2 objective."""
from __future__ import annotations

import torch

from gan_engine.augment import diff_augment
from gan_engine.losses import gradient_penalty, rpgan_discriminator_loss, rpgan_generator_loss


def test_diff_augment_is_reproducible_with_a_seeded_generator_and_differentiable() -> None:
    x = torch.rand(4, 1, 32, 32, requires_grad=True)
    a = diff_augment(x, torch.Generator().manual_seed(3))
    b = diff_augment(x, torch.Generator().manual_seed(3))
    assert torch.equal(a, b)
    a.sum().backward()
    assert x.grad is not None and x.grad.abs().sum() > 0


def test_diff_augment_never_flips_the_image() -> None:
    x = -torch.ones(64, 1, 32, 32)
    x[:, :, 10:20, 2:6] = 1.0  # a bright bar on the image's left
    out = diff_augment(x, torch.Generator().manual_seed(0), cutout=0.0)
    left = out[:, :, :, :16].mean(dim=(1, 2, 3))
    right = out[:, :, :, 16:].mean(dim=(1, 2, 3))
    assert (left > right).all()


def test_translation_fills_the_border_with_air() -> None:
    x = torch.zeros(16, 1, 32, 32)
    out = diff_augment(x, torch.Generator().manual_seed(1), p=1.0, translation=0.125, cutout=0.0)
    shifted_in = (out == out.amin(dim=(1, 2, 3), keepdim=True)) & (out < out.amax(dim=(1, 2, 3), keepdim=True))
    assert shifted_in.any()


def test_rpgan_losses_are_mirror_images_and_log2_at_a_tie() -> None:
    real, fake = torch.tensor([1.0, 2.0]), torch.tensor([0.5, 3.0])
    assert torch.isclose(rpgan_discriminator_loss(real, fake), rpgan_generator_loss(fake, real))
    tie = torch.zeros(3)
    assert torch.isclose(rpgan_discriminator_loss(tie, tie), torch.log(torch.tensor(2.0)))


def test_gradient_penalty_of_a_linear_critic_is_its_squared_weight_norm() -> None:
    w = torch.tensor([3.0, 4.0])
    x = torch.randn(5, 2, requires_grad=True)
    assert torch.isclose(gradient_penalty(x @ w, x), torch.tensor(25.0))

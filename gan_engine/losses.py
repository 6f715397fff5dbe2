"""Relativistic pairing GAN loss with R1 + R2 penalties (the R3GAN objective).

Huang et al. 2024, "The GAN is dead; long live the GAN! A Modern GAN Baseline" (NeurIPS), eq. 4-6:
  L_D = E[f(-(D(x_real) - D(x_fake)))],  L_G = E[f(-(D(x_fake) - D(x_real)))],  f = softplus,
the RpGAN loss of Jolicoeur-Martineau (2019), regularised by gamma/2 E|grad_x D(x)|^2 on real
(R1, Mescheder et al. 2018) *and* fake (R2) data, which the paper shows makes training locally
convergent where either penalty alone does not.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F


def rpgan_discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """softplus(-(D(real) - D(fake))), averaged over pairs (real i paired with fake i)."""
    return F.softplus(-(real_logits.float() - fake_logits.float())).mean()


def rpgan_generator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """softplus(-(D(fake) - D(real))), averaged over pairs."""
    return F.softplus(-(fake_logits.float() - real_logits.float())).mean()


def gradient_penalty(logits: torch.Tensor, inputs: torch.Tensor) -> torch.Tensor:
    """E|grad_inputs sum(logits)|^2 per image (the R1/R2 term without gamma/2).

    `inputs` must require grad and be part of the graph that produced `logits`.
    """
    (grad,) = torch.autograd.grad(logits.float().sum(), inputs, create_graph=True)
    return grad.float().square().flatten(1).sum(1).mean()

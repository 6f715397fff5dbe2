"""CTGAN generator and packed critic (Xu et al., NeurIPS 2019, section 4.4 and appendix).

Generator: z ⊕ cond -> residual blocks h' = ReLU(BN(FC(h))) ⊕ h -> FC to the encoded row, then
tanh on alpha slots and Gumbel-softmax (tau = 0.2) on one-hot slots.
Critic (PacGAN, Lin et al., NeurIPS 2018): `pac` rows ⊕ their conds are concatenated into one
input; FC -> LeakyReLU(0.2) -> Dropout(0.5) blocks -> FC to one score (WGAN critic, no sigmoid).
"""
from __future__ import annotations

from typing import Sequence

import torch
from torch import nn

from gan_engine.patients.transformer import Span


class Residual(nn.Module):
    """h -> concat(ReLU(BN(FC(h))), h): the output width grows by `out_dim` each block."""

    def __init__(self, in_dim: int, out_dim: int) -> None:
        super().__init__()
        self.fc = nn.Linear(in_dim, out_dim)
        self.bn = nn.BatchNorm1d(out_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(n, in_dim) -> (n, in_dim + out_dim)."""
        return torch.cat([torch.relu(self.bn(self.fc(x))), x], dim=1)


class Generator(nn.Module):
    """Maps noise (embedding_dim) ⊕ conditional vector to raw (pre-activation) encoded rows."""

    def __init__(self, in_dim: int, hidden: Sequence[int], data_dim: int) -> None:
        super().__init__()
        blocks: list[nn.Module] = []
        width = in_dim
        for h in hidden:
            blocks.append(Residual(width, h))
            width += h
        blocks.append(nn.Linear(width, data_dim))
        self.body = nn.Sequential(*blocks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(n, embedding_dim + cond_dim) -> (n, data_dim) raw outputs (see `activate`)."""
        return self.body(x)


class Critic(nn.Module):
    """PacGAN critic: scores groups of `pac` rows (input rows must be a multiple of `pac`)."""

    def __init__(self, in_dim: int, hidden: Sequence[int], pac: int) -> None:
        super().__init__()
        self.pac = pac
        layers: list[nn.Module] = []
        width = in_dim * pac
        for h in hidden:
            layers += [nn.Linear(width, h), nn.LeakyReLU(0.2), nn.Dropout(0.5)]
            width = h
        layers.append(nn.Linear(width, 1))
        self.body = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(n, in_dim) with n a multiple of pac -> (n / pac, 1) scores."""
        return self.body(x.reshape(-1, x.shape[1] * self.pac))


def gumbel_softmax(logits: torch.Tensor, tau: float, generator: torch.Generator | None) -> torch.Tensor:
    """softmax((logits + g) / tau), g ~ Gumbel(0, 1) (Jang et al., ICLR 2017); seeded by `generator`."""
    u = torch.rand(logits.shape, generator=generator, device=logits.device).clamp(1e-10, 1 - 1e-10)
    return torch.softmax((logits - torch.log(-torch.log(u))) / tau, dim=1)


def activate(raw: torch.Tensor, spans: Sequence[Span], tau: float,
             generator: torch.Generator | None = None) -> torch.Tensor:
    """Apply each span's output activation: tanh for alpha, Gumbel-softmax for one-hots."""
    parts = []
    for s in spans:
        piece = raw[:, s.start:s.start + s.width]
        if s.activation == "tanh":
            parts.append(torch.tanh(piece))
        else:
            parts.append(gumbel_softmax(piece, tau, generator))
    return torch.cat(parts, dim=1)


def gradient_penalty(critic: Critic, real: torch.Tensor, fake: torch.Tensor,
                     generator: torch.Generator | None = None) -> torch.Tensor:
    """WGAN-GP term E[(||grad D(x_hat)|| - 1)^2] (Gulrajani et al., NeurIPS 2017), per pac group.

    x_hat mixes real and fake rows with one mixing weight per pac group, as the critic scores groups.
    """
    pac = critic.pac
    groups = real.shape[0] // pac
    eps = torch.rand(groups, 1, 1, generator=generator, device=real.device)
    eps = eps.expand(groups, pac, real.shape[1]).reshape(-1, real.shape[1])
    mixed = (eps * real + (1 - eps) * fake).requires_grad_(True)
    score = critic(mixed)
    (grad,) = torch.autograd.grad(score.sum(), mixed, create_graph=True)
    norms = grad.reshape(groups, -1).norm(2, dim=1)
    return ((norms - 1.0) ** 2).mean()

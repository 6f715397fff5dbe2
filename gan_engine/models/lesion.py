"""Geometry of the lesion layer: where the nodule is and how big, fixed by the condition.

The lesion branch of the generator does not learn *where* or *how large* a nodule is; those come
from the condition by construction. Centre (x, y) is a fraction of the width/height (0,0 = the
top-left pixel corner, so pixel i has its centre at (i + 0.5) / side); the nominal radius in px is
severity_to_diameter_mm(severity) / 2 / pixel_spacing_mm (see gan_engine.conditions).
The learned outline perturbation only rescales the radius per angle, and does not depend on
severity, so the support of the mask grows monotonically with severity.
"""
from __future__ import annotations

import torch

from gan_engine.conditions import MAX_DIAMETER_MM, MIN_DIAMETER_MM

EDGE_SOFTNESS_PX = 0.5  # logistic edge width of the mask (px): a partial-volume-like rim


def radius_px(severity: torch.Tensor, spacing_mm: torch.Tensor) -> torch.Tensor:
    """Nominal nodule radius in px: (4 + 26 * severity) mm / 2 / spacing (mm/px), per image [N]."""
    diameter_mm = MIN_DIAMETER_MM + severity.clamp(0, 1) * (MAX_DIAMETER_MM - MIN_DIAMETER_MM)
    return diameter_mm / 2.0 / spacing_mm


def polar_grid(position: torch.Tensor, size: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Distance (px) and angle (rad) of every pixel centre from each lesion centre.

    position: [N, 2] (x, y) fractions. Returns (distance [N,1,H,W], angle [N,1,H,W]).
    """
    coords = (torch.arange(size, device=position.device, dtype=position.dtype) + 0.5)
    cx = position[:, 0].view(-1, 1, 1, 1) * size
    cy = position[:, 1].view(-1, 1, 1, 1) * size
    dx = coords.view(1, 1, 1, size) - cx
    dy = coords.view(1, 1, size, 1) - cy
    return torch.sqrt(dx * dx + dy * dy + 1e-8), torch.atan2(dy, dx)


def outline_factor(coeffs: torch.Tensor, angle: torch.Tensor, max_perturbation: float) -> torch.Tensor:
    """Radius multiplier 1 + m * tanh(sum_k a_k cos k theta + b_k sin k theta), in (1-m, 1+m).

    coeffs: [N, 2K] Fourier coefficients (a_1..a_K, b_1..b_K); angle: [N,1,H,W].
    """
    k = coeffs.shape[1] // 2
    orders = torch.arange(1, k + 1, device=angle.device, dtype=angle.dtype).view(1, k, 1, 1)
    a = coeffs[:, :k].view(-1, k, 1, 1)
    b = coeffs[:, k:].view(-1, k, 1, 1)
    series = (a * torch.cos(orders * angle) + b * torch.sin(orders * angle)).sum(1, keepdim=True)
    return 1.0 + max_perturbation * torch.tanh(series)


def support_mask(distance: torch.Tensor, radius: torch.Tensor, factor: torch.Tensor) -> torch.Tensor:
    """Soft disc: sigmoid((radius * factor - distance) / softness), in (0, 1), [N,1,H,W].

    Monotone non-decreasing in `radius` at every pixel, hence in severity.
    """
    edge = radius.view(-1, 1, 1, 1) * factor - distance
    return torch.sigmoid(edge / EDGE_SOFTNESS_PX)

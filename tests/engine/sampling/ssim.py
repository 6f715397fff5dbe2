"""Structural similarity (SSIM) for single-channel images, optionally averaged over a mask.

Wang, Bovik, Sheikh & Simoncelli 2004, "Image Quality Assessment: From Error Visibility to
Structural Similarity", IEEE TIP 13(4): 600-612, eq. 13, with the paper's constants: an 11x11
Gaussian window of sigma 1.5 px, K1 = 0.01, K2 = 0.03, L = the data range.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

K1, K2 = 0.01, 0.03
WINDOW, SIGMA = 11, 1.5


def _gaussian_window(device: torch.device, dtype: torch.dtype) -> torch.Tensor:
    x = torch.arange(WINDOW, device=device, dtype=dtype) - (WINDOW - 1) / 2
    g = torch.exp(-x * x / (2 * SIGMA * SIGMA))
    g = g / g.sum()
    return (g[:, None] * g[None, :]).view(1, 1, WINDOW, WINDOW)


def ssim_map(a: torch.Tensor, b: torch.Tensor, data_range: float = 2.0) -> torch.Tensor:
    """Per-pixel SSIM of a, b [N,1,H,W] (same-padding, reflect) -> [N,1,H,W].

    data_range: max - min of the value scale (2 for images on [-1, 1]).
    """
    if a.shape != b.shape or a.dim() != 4 or a.shape[1] != 1:
        raise ValueError(f"expected two [N,1,H,W] tensors of one shape, got {tuple(a.shape)} and {tuple(b.shape)}")
    a, b = a.double(), b.double()
    w = _gaussian_window(a.device, a.dtype)
    pad = WINDOW // 2

    def blur(x: torch.Tensor) -> torch.Tensor:
        return F.conv2d(F.pad(x, [pad] * 4, mode="reflect"), w)

    mu_a, mu_b = blur(a), blur(b)
    var_a = blur(a * a) - mu_a ** 2
    var_b = blur(b * b) - mu_b ** 2
    cov = blur(a * b) - mu_a * mu_b
    c1, c2 = (K1 * data_range) ** 2, (K2 * data_range) ** 2
    return ((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / ((mu_a ** 2 + mu_b ** 2 + c1) * (var_a + var_b + c2))


def ssim(a: torch.Tensor, b: torch.Tensor, data_range: float = 2.0,
         mask: torch.Tensor | None = None) -> torch.Tensor:
    """Mean SSIM per image [N] of a, b [N,1,H,W]; with `mask` [N,1,H,W] in {0,1}, the mean over it."""
    m = ssim_map(a, b, data_range)
    if mask is None:
        return m.mean(dim=(1, 2, 3)).float()
    mask = mask.double()
    return ((m * mask).sum(dim=(1, 2, 3)) / mask.sum(dim=(1, 2, 3)).clamp(min=1)).float()

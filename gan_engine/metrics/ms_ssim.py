"""Multi-scale structural similarity (Wang, Simoncelli & Bovik 2003, "Multi-scale structural
similarity for image quality assessment", Asilomar Conf., eq. 7), in plain torch.

MS-SSIM = l_M^b_M * prod_{j=1..M} cs_j^b_j, where cs_j is SSIM's contrast-structure term at scale
j (the image low-pass filtered and downsampled by 2, j-1 times) and l_M the luminance term at the
coarsest scale (Wang et al. 2004, "Image quality assessment: from error visibility to structural
similarity", IEEE TIP, eqs. 6-13). Window: 11x11 Gaussian, sigma = 1.5 px, 'valid' filtering, as in
both papers; K1 = 0.01, K2 = 0.03, L = dynamic range (2 for images in [-1, 1]).

Small images. The published 5 scales need a 176-px image before the 11-px window fits the coarsest
scale (176 / 2^4 = 11). For smaller images we keep the 11-px window and use the largest number of
scales whose coarsest image is still >= 11 px (64 px -> 3 scales: 64, 32, 16), with the first
weights of the published set renormalised to sum to 1 — so a 64-px MS-SSIM is comparable across
64-px models, not with numbers from 256-px papers. Below 11 px the window shrinks to the image.

Negative cs (anti-correlated structure) is clamped to 0 before the fractional power, which is
otherwise undefined; such a pair then scores 0.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

# Wang et al. 2003, section 3.1 (fitted to human judgements), finest scale first.
SCALE_WEIGHTS: tuple[float, ...] = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)
WINDOW_SIZE = 11
WINDOW_SIGMA = 1.5
K1 = 0.01
K2 = 0.03


def gaussian_window(size: int = WINDOW_SIZE, sigma: float = WINDOW_SIGMA) -> torch.Tensor:
    """Separable normalised Gaussian window as a 1-D float64 tensor [size] (sums to 1)."""
    coords = torch.arange(size, dtype=torch.float64) - (size - 1) / 2.0
    g = torch.exp(-(coords ** 2) / (2.0 * sigma ** 2))
    return g / g.sum()


def number_of_scales(image_size: int, window_size: int = WINDOW_SIZE) -> int:
    """Scales used for images whose shorter side is `image_size` px (see module docstring)."""
    scales = 1
    while scales < len(SCALE_WEIGHTS) and image_size // 2 ** scales >= window_size:
        scales += 1
    return scales


def _valid_filter_matrix(length: int, window: torch.Tensor) -> torch.Tensor:
    """[length - size + 1, length] banded matrix M with (M @ v) = 'valid' correlation of v."""
    size = window.numel()
    out = length - size + 1
    matrix = torch.zeros(out, length, dtype=window.dtype)
    for i in range(out):
        matrix[i, i:i + size] = window
    return matrix


def _filter(x: torch.Tensor, window: torch.Tensor) -> torch.Tensor:
    # Separable 'valid' Gaussian filtering of [n, c, H, W] as two matrix products (rows, then
    # columns): BLAS makes this several times faster than a depthwise convolution on CPU.
    rows = _valid_filter_matrix(x.shape[-2], window)
    cols = _valid_filter_matrix(x.shape[-1], window)
    return rows @ x @ cols.T


def _ssim_terms(x: torch.Tensor, y: torch.Tensor, window: torch.Tensor,
                data_range: float) -> tuple[torch.Tensor, torch.Tensor]:
    """(luminance [n], contrast-structure [n]) averaged over valid window positions and channels."""
    c1 = (K1 * data_range) ** 2
    c2 = (K2 * data_range) ** 2
    # One grouped convolution filters all five local moments at once.
    moments = _filter(torch.cat([x, y, x * x, y * y, x * y], dim=1), window)
    mu_x, mu_y, e_xx, e_yy, e_xy = moments.chunk(5, dim=1)
    sigma_xx = e_xx - mu_x ** 2
    sigma_yy = e_yy - mu_y ** 2
    sigma_xy = e_xy - mu_x * mu_y
    luminance = (2 * mu_x * mu_y + c1) / (mu_x ** 2 + mu_y ** 2 + c1)
    contrast_structure = (2 * sigma_xy + c2) / (sigma_xx + sigma_yy + c2)
    return luminance.flatten(1).mean(1), contrast_structure.flatten(1).mean(1)


def ms_ssim(x: torch.Tensor, y: torch.Tensor, *, data_range: float = 2.0,
            scales: int | None = None) -> torch.Tensor:
    """MS-SSIM of each image pair: x, y [n, c, H, W] (same shape) -> float64 [n] in [0, 1].

    Computed in float32 (local moments of [-1, 1] pixels lose ~1e-7, far below C2 = 3.6e-3).

    data_range: max - min of the pixel scale (2.0 for [-1, 1]). scales: None picks
    `number_of_scales(min(H, W))`. 1.0 means identical images.
    """
    if x.shape != y.shape or x.dim() != 4:
        raise ValueError(f"expected two [n, c, H, W] tensors of equal shape, got {tuple(x.shape)} "
                         f"and {tuple(y.shape)}")
    x = x.to(torch.float32)
    y = y.to(torch.float32)
    side = min(x.shape[-2:])
    scales = scales or number_of_scales(side)
    weights = torch.tensor(SCALE_WEIGHTS[:scales], dtype=torch.float64)
    weights = weights / weights.sum()
    window = gaussian_window(min(WINDOW_SIZE, side // 2 ** (scales - 1))).to(torch.float32)
    result = torch.ones(x.shape[0], dtype=torch.float64)
    for j in range(scales):
        luminance, cs = _ssim_terms(x, y, window, data_range)
        result = result * cs.double().clamp(min=0.0) ** weights[j]
        if j == scales - 1:
            result = result * luminance.double().clamp(min=0.0) ** weights[j]
        else:
            x, y = F.avg_pool2d(x, 2), F.avg_pool2d(y, 2)
    return result

import numpy as np
import pytest
import torch
from scipy.signal import correlate2d

from gan_engine.metrics.ms_ssim import SCALE_WEIGHTS, gaussian_window, ms_ssim, number_of_scales


def _ms_ssim_numpy(x: np.ndarray, y: np.ndarray, scales: int, data_range: float = 2.0) -> float:
    """Eq. 7 of Wang et al. 2003 written out with scipy 2-D correlation (independent check)."""
    g = gaussian_window().numpy()
    window = np.outer(g, g)
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    weights = np.array(SCALE_WEIGHTS[:scales]) / sum(SCALE_WEIGHTS[:scales])
    value = 1.0
    for j in range(scales):
        f = lambda a: correlate2d(a, window, mode="valid")  # noqa: E731
        mx, my = f(x), f(y)
        vx, vy, cxy = f(x * x) - mx ** 2, f(y * y) - my ** 2, f(x * y) - mx * my
        cs = np.mean((2 * cxy + c2) / (vx + vy + c2))
        value *= max(cs, 0.0) ** weights[j]
        if j == scales - 1:
            lum = np.mean((2 * mx * my + c1) / (mx ** 2 + my ** 2 + c1))
            value *= max(lum, 0.0) ** weights[j]
        else:
            x = x.reshape(x.shape[0] // 2, 2, x.shape[1] // 2, 2).mean(axis=(1, 3))
            y = y.reshape(y.shape[0] // 2, 2, y.shape[1] // 2, 2).mean(axis=(1, 3))
    return value


def test_the_scale_count_keeps_the_11_px_window_inside_the_coarsest_image():
    assert number_of_scales(256) == 5
    assert number_of_scales(176) == 5
    assert number_of_scales(64) == 3
    assert number_of_scales(32) == 2
    assert number_of_scales(16) == 1


def test_identical_images_score_one():
    x = torch.rand(3, 1, 64, 64) * 2 - 1
    assert torch.allclose(ms_ssim(x, x), torch.ones(3, dtype=torch.float64))


def test_flat_images_score_their_hand_computed_luminance_term():
    # No variance: cs = C2 / C2 = 1 at every scale, so MS-SSIM = l ** w_3 with l = (2ab + C1) /
    # (a^2 + b^2 + C1), C1 = (0.01 * 2)^2, and w_3 = 0.3001 / (0.0448 + 0.2856 + 0.3001) at 64 px.
    a, b, c1 = 0.5, 0.25, 0.02 ** 2
    expected = ((2 * a * b + c1) / (a * a + b * b + c1)) ** (0.3001 / 0.6305)
    x = torch.full((1, 1, 64, 64), a)
    y = torch.full((1, 1, 64, 64), b)
    assert ms_ssim(x, y).item() == pytest.approx(expected, rel=1e-6)  # ~0.8994


def test_it_matches_a_numpy_implementation_of_the_paper():
    rng = np.random.default_rng(0)
    base = rng.uniform(-1, 1, size=(64, 64))
    x = np.clip(base + rng.normal(0, 0.2, size=base.shape), -1, 1)
    y = np.clip(base + rng.normal(0, 0.2, size=base.shape), -1, 1)
    ours = ms_ssim(torch.tensor(x)[None, None], torch.tensor(y)[None, None]).item()
    assert ours == pytest.approx(_ms_ssim_numpy(x, y, scales=3), abs=1e-5)


def test_more_noise_scores_lower():
    rng = np.random.default_rng(1)
    x = torch.tensor(rng.uniform(-1, 1, size=(1, 1, 64, 64)), dtype=torch.float32)
    slightly = (x + 0.05 * torch.randn_like(x)).clamp(-1, 1)
    very = (x + 0.5 * torch.randn_like(x)).clamp(-1, 1)
    assert ms_ssim(x, slightly).item() > ms_ssim(x, very).item()

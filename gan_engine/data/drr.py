"""A digitally reconstructed radiograph (DRR): a frontal chest "X-ray" projected from a CT volume.

Parallel-beam model, monoenergetic: each voxel's linear attenuation coefficient is
μ = μ_water · (1 + HU/1000) (the definition of the Hounsfield scale, HU = 1000·(μ - μ_water)/μ_water),
the line integral ∫μ dl is summed along the anterior-posterior axis, and the transmitted fraction
is exp(-∫μ dl) (Beer–Lambert). The displayed radiograph is the line integral itself (log of the
transmission, as a detector's log-transform would give), windowed so bone and mediastinum are bright.
"""
from __future__ import annotations

import numpy as np

# μ of water at an effective energy of ~70 keV (NIST XCOM: 0.193 cm²/g × 1 g/cm³), per mm.
MU_WATER_PER_MM = 0.0193


def line_integral_ap(volume_hu: np.ndarray, spacing_mm: tuple[float, float, float],
                     *, mu_water_per_mm: float = MU_WATER_PER_MM) -> np.ndarray:
    """∫μ dl along the anterior-posterior axis: float32 [Z, W] (dimensionless).

    volume_hu:  [Z, H, W] HU in display orientation (z inferior->superior, row = A->P, col 0 =
                patient's right), e.g. `load_example_ct().hu`.
    spacing_mm: (z, row, col) voxel size, mm.
    """
    if volume_hu.ndim != 3:
        raise ValueError(f"volume_hu must be [Z, H, W], got shape {volume_hu.shape}")
    step_mm = float(spacing_mm[1])
    total = np.zeros((volume_hu.shape[0], volume_hu.shape[2]), dtype=np.float64)
    for z in range(volume_hu.shape[0]):  # slice by slice: a float copy of the volume is ~140 MB
        mu = mu_water_per_mm * (1.0 + volume_hu[z].astype(np.float32) / 1000.0)
        total[z] = np.clip(mu, 0.0, None).sum(axis=0) * step_mm
    return total.astype(np.float32)


def render_drr(volume_hu: np.ndarray, spacing_mm: tuple[float, float, float],
               *, mu_water_per_mm: float = MU_WATER_PER_MM) -> np.ndarray:
    """A frontal radiograph, float32 [H, W] in [0, 1], 1 = most attenuating (bone bright).

    Viewed as a PA/AP chest film is read: head at the top, the patient's right on the image's
    left. Rows are resampled so that pixels are square at the in-plane spacing (mm), and the
    line integral is windowed between its 1st and 99.8th percentiles.
    """
    from scipy import ndimage as ndi

    integral = line_integral_ap(volume_hu, spacing_mm, mu_water_per_mm=mu_water_per_mm)
    image = integral[::-1]  # superior at the top
    zoom_rows = float(spacing_mm[0]) / float(spacing_mm[2])
    image = ndi.zoom(image, (zoom_rows, 1.0), order=1)
    low, high = np.percentile(image, [1.0, 99.8])
    return np.clip((image - low) / max(high - low, 1e-6), 0.0, 1.0).astype(np.float32)

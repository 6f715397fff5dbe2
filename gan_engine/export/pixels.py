"""Synthetic image arrays -> HU -> 16-bit stored values (HU + 1024), and back.

The stored ("master") value is HU + 1024 as uint16, the convention of our PNG masters and the
viewer; DICOM records it with RescaleSlope 1 and RescaleIntercept -1024 (PS3.3 C.11.1.1.2:
output units = slope x stored value + intercept), so HU = stored - 1024 exactly.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from gan_engine.data.intensity import DEFAULT_HU_RANGE, unit_to_hu
from gan_engine.hu import HU_OFFSET

RESCALE_INTERCEPT = -float(HU_OFFSET)
RESCALE_SLOPE = 1.0
MIN_HU = -HU_OFFSET         # lowest HU a uint16 master can hold (air and below saturate here)
MAX_HU = 65535 - HU_OFFSET
PIXEL_VALUES = ("unit", "hu")


def as_hu_stack(images: Any, *, pixel_values: str,
                hu_range: tuple[float, float] = DEFAULT_HU_RANGE) -> np.ndarray:
    """Images -> float64 HU array of shape (n, rows, cols).

    images:       one image (rows, cols), a stack (n, rows, cols) or (n, 1, rows, cols); NumPy
                  or a CPU torch tensor.
    pixel_values: "unit" for generator output in [-1, 1] (mapped with
                  gan_engine.data.intensity.unit_to_hu over `hu_range`, HU), or "hu".
    """
    if pixel_values not in PIXEL_VALUES:
        raise ValueError(f"pixel_values must be one of {PIXEL_VALUES}, got {pixel_values!r}")
    if hasattr(images, "detach"):
        images = images.detach().cpu().numpy()
    arr = np.asarray(images, dtype=np.float64)
    if arr.ndim == 4 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim == 2:
        arr = arr[None]
    if arr.ndim != 3 or arr.shape[1] < 1 or arr.shape[2] < 1:
        raise ValueError(
            f"expected (rows, cols), (n, rows, cols) or (n, 1, rows, cols), got {arr.shape}"
        )
    if not np.isfinite(arr).all():
        raise ValueError("images contain NaN or infinite values")
    if pixel_values == "unit":
        # A HU array passed as "unit" would be silently clipped to air/bone; refuse it instead.
        if arr.min() < -1.001 or arr.max() > 1.001:
            raise ValueError(
                f"pixel_values='unit' expects [-1, 1], got [{arr.min():g}, {arr.max():g}]; "
                "pass pixel_values='hu' for Hounsfield units"
            )
        arr = np.asarray(unit_to_hu(arr, hu_range), dtype=np.float64)
    return arr


def hu_to_stored(hu: np.ndarray) -> np.ndarray:
    """HU -> uint16 stored values: round to whole HU, clip to [MIN_HU, MAX_HU], add 1024."""
    return (np.clip(np.rint(hu), MIN_HU, MAX_HU) + HU_OFFSET).astype(np.uint16)


def stored_to_hu(stored: np.ndarray) -> np.ndarray:
    """uint16 stored values -> HU as int32 (exact inverse of hu_to_stored on whole HU)."""
    return np.asarray(stored, dtype=np.int32) - HU_OFFSET

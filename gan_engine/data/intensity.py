"""Hounsfield-unit helpers: the network's [-1, 1] scale and display windows.

Every function accepts a NumPy array or a torch tensor and returns the same kind, so the
data pipeline (NumPy), the models (torch) and the platform's previews share one definition.
"""
from __future__ import annotations

from typing import TypeVar

import numpy as np

try:  # torch is a runtime dependency of the engine, but HU maths should not require it
    import torch
except ImportError:  # pragma: no cover - exercised only in torch-free environments
    torch = None  # type: ignore[assignment]

ArrayLike = TypeVar("ArrayLike")

# Air is -1000 HU and CT scanners store down to -1024 (the int16 offset of most vendors); +600 HU
# keeps all of lung (-1000..-500), fat (-100), soft tissue and contrast-enhanced blood (+30..+400)
# and trabecular bone, while cortical bone (>+1000) saturates. A narrower range spends the
# generator's output resolution where chest findings live: 1624 HU over [-1, 1] is ~0.8 HU per
# 1/1000 of the unit scale.
DEFAULT_HU_RANGE: tuple[float, float] = (-1024.0, 600.0)

# (centre/level, width) in HU. Conventional CT display presets (see e.g. Radiopaedia, "Windowing
# (CT)"); lung W1500/L-600 and mediastinum W350/L50 are the usual chest CT reading windows. The
# viewer's key presets use the same numbers (docs: STACK.md, "Viewer expectations").
WINDOW_PRESETS: dict[str, tuple[float, float]] = {
    "lung": (-600.0, 1500.0),
    "mediastinum": (50.0, 350.0),
    "soft_tissue": (40.0, 400.0),
    "bone": (300.0, 2000.0),
    "brain": (40.0, 80.0),
}


def _clip(x, low: float, high: float):
    if torch is not None and isinstance(x, torch.Tensor):
        return x.clamp(low, high)
    return np.clip(x, low, high)


def _as_float(x):
    if torch is not None and isinstance(x, torch.Tensor):
        return x if x.is_floating_point() else x.float()
    arr = np.asarray(x)
    return arr if np.issubdtype(arr.dtype, np.floating) else arr.astype(np.float32)


def _check_range(hu_range: tuple[float, float]) -> tuple[float, float]:
    low, high = float(hu_range[0]), float(hu_range[1])
    if not high > low:
        raise ValueError(f"hu_range must be (low, high) with high > low, got {hu_range!r}")
    return low, high


def hu_to_unit(hu: ArrayLike, hu_range: tuple[float, float] = DEFAULT_HU_RANGE) -> ArrayLike:
    """Map Hounsfield units to [-1, 1]: clip to `hu_range` (HU) then scale linearly.

    low HU -> -1, high HU -> +1. Integer input is converted to float32 first.
    """
    low, high = _check_range(hu_range)
    x = _clip(_as_float(hu), low, high)
    return (x - low) * (2.0 / (high - low)) - 1.0


def unit_to_hu(x: ArrayLike, hu_range: tuple[float, float] = DEFAULT_HU_RANGE) -> ArrayLike:
    """Inverse of `hu_to_unit`: [-1, 1] -> HU. Values outside [-1, 1] are clipped first."""
    low, high = _check_range(hu_range)
    x = _clip(_as_float(x), -1.0, 1.0)
    return (x + 1.0) * ((high - low) / 2.0) + low


def apply_window(hu: ArrayLike, center: float, width: float) -> ArrayLike:
    """Display window: HU -> brightness in [0, 1] (0 = black at center - width/2 HU).

    Linear ramp between center ± width/2 (DICOM PS3.3 C.11.2.1.2 uses the same definition up to
    the half-pixel offset, which is irrelevant for float output).
    """
    if width <= 0:
        raise ValueError(f"window width must be positive, got {width!r}")
    low = float(center) - float(width) / 2.0
    x = (_as_float(hu) - low) / float(width)
    return _clip(x, 0.0, 1.0)


def window_preset(name: str) -> tuple[float, float]:
    """(center, width) in HU of a named preset in WINDOW_PRESETS; ValueError if unknown."""
    try:
        return WINDOW_PRESETS[name]
    except KeyError:
        raise ValueError(
            f"unknown window {name!r}; expected one of {', '.join(WINDOW_PRESETS)}"
        ) from None

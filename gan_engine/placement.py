"""Nodule placement: keep a requested nodule inside the lung of the generated patient.

The generator draws the anatomy from the patient latent alone (so a progression series keeps one
anatomy), and the nodule wherever its condition says. A requested position is a fraction of the
image, not of the patient, so for some patients it lands in the heart or the chest wall, where no
pulmonary nodule can be. `place_in_lung` moves such a position to the nearest point of the same lung
(same half of the image: the patient's right lung is the left half of an axial image) where a
nodule of the requested diameter fits, and leaves positions that already fit untouched.

The lung is segmented from the anatomy layer by a threshold: air below LUNG_THRESHOLD_HU that does
not touch the image border (the air around the body does), in components of at least
MIN_LUNG_FRACTION of the image.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import ndimage

LUNG_THRESHOLD_HU = -400.0   # aerated lung is about -900..-700 HU; soft tissue is above -100 HU
MIN_LUNG_FRACTION = 0.005    # smaller air pockets (trachea, bowel gas, noise) are not lung
EDGE_MARGIN_PX = 1.0         # keep the nodule's edge this far inside the lung

PLACEMENTS = ("lung", "exact")


def check_placement(placement: str) -> None:
    """ValueError unless `placement` is one of PLACEMENTS."""
    if placement not in PLACEMENTS:
        raise ValueError(f"placement must be one of {', '.join(PLACEMENTS)}, got {placement!r}")


class Placement(NamedTuple):
    """Where a nodule was put: x, y fractions of the image, and whether that moved it."""

    x: float
    y: float
    moved: bool


def lung_mask(anatomy_hu: np.ndarray, threshold_hu: float = LUNG_THRESHOLD_HU) -> np.ndarray:
    """bool [H, W]: the lungs of one axial slice in HU (air inside the body)."""
    air = np.asarray(anatomy_hu) < threshold_hu
    labels, count = ndimage.label(air)
    if count == 0:
        return np.zeros(air.shape, bool)
    border = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    sizes = ndimage.sum_labels(air, labels, index=np.arange(1, count + 1))
    keep = np.zeros(count + 1, bool)
    keep[1:] = sizes >= MIN_LUNG_FRACTION * air.size
    keep[border] = False
    return keep[labels]


def place_in_lung(anatomy_hu: np.ndarray, x: float, y: float, diameter_px: float) -> Placement:
    """Keep (x, y) if a nodule of `diameter_px` centred there lies inside the lung; else move it to
    the nearest pixel centre of the same image half where it fits (or, if none does, where the lung
    is widest). A half without any lung leaves the position as requested (moved=False)."""
    lung = lung_mask(anatomy_hu)
    h, w = lung.shape
    half = np.zeros_like(lung)
    if x < 0.5:
        half[:, : w // 2] = True
    else:
        half[:, w // 2:] = True
    lung &= half
    if not lung.any():
        return Placement(float(x), float(y), False)
    depth = ndimage.distance_transform_edt(lung)  # px from each lung pixel to the nearest non-lung pixel
    need = diameter_px / 2.0 + EDGE_MARGIN_PX
    col, row = min(int(x * w), w - 1), min(int(y * h), h - 1)
    if depth[row, col] >= need:
        return Placement(float(x), float(y), False)
    fits = depth >= need
    candidates = fits if fits.any() else depth == depth.max()
    rows, cols = np.nonzero(candidates)
    nearest = int(np.argmin((rows - (y * h - 0.5)) ** 2 + (cols - (x * w - 0.5)) ** 2))
    return Placement(float((cols[nearest] + 0.5) / w), float((rows[nearest] + 0.5) / h), True)

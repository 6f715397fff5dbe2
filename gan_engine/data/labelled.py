"""The training set: real chest CT slices with nodules inserted under known conditions.

Contract (consumed by the models/training code; see `LabelledCTDataset`): item i is a dict

    image            float32 [1, H, W] in [-1, 1]  hu_to_unit of the slice (DEFAULT_HU_RANGE)
    lesion_mask      float32 [1, H, W] in [0, 1]   share of each pixel covered by the lesion
    lung_mask        float32 [1, H, W] in [0, 1]   share of each pixel that is lung
    finding          int64 scalar                  index into conditions.FINDING_CLASSES
    severity         float32 scalar                conditions.diameter_mm_to_severity; 0 if normal
    position         float32 [2]                   (x, y) lesion centre / (W, H); (0.5, 0.5) if normal
    pixel_spacing_mm float32 scalar                mm per output pixel
    diameter_mm      float32 scalar                nodule diameter, mm; 0 if normal   (extra)
    margin           int64 scalar                  index into lesions.MARGINS; -1 if normal (extra)

How an item is made (fast: ~1-2 ms at 64 px, see `docs` in the report):
1. pick a lung slice of the example CT (slices near its real mass are excluded);
2. pick the condition: finding (uniform over FINDING_CLASSES by default), diameter U(4, 30) mm,
   margin uniform over MARGINS, a centre with ≥ 90% of the nodule inside the lung;
3. render the nodule at the CT's full resolution (0.70 mm) on the small rectangle it touches;
4. area-average to twice the output size (anti-aliasing). Averaging is linear, so the slice's
   average is precomputed once and only the nodule's rectangle is averaged per item;
5. augment at that resolution: rotation ±5°, shift ±4% (no flips: laterality matters), then
   area-average 2x to the output size; intensity jitter (HU·U(0.97, 1.03) + U(-20, 20)).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import Dataset

from gan_engine.conditions import FINDING_CLASSES, MAX_DIAMETER_MM, MIN_DIAMETER_MM, diameter_mm_to_severity
from gan_engine.data.example_ct import AIR_HU, lung_slice_indices, load_example_ct
from gan_engine.data.intensity import DEFAULT_HU_RANGE, apply_window, hu_to_unit, window_preset
from gan_engine.data.lesions import MARGINS, lung_distance_mm, render_nodule

MAX_ROTATION_DEG = 5.0
MAX_SHIFT_FRACTION = 0.04
HU_OFFSET_JITTER = 20.0          # ± HU
HU_SCALE_JITTER = (0.97, 1.03)
SUPPORTED_SIZES = (32, 64, 128, 256, 512)  # divisors of the CT's 512 px


@dataclass(frozen=True)
class _SliceBank:
    """The lung slices at full resolution, kept in memory once per process."""

    hu: np.ndarray            # int16 [N, 512, 512]
    lung: np.ndarray          # bool  [N, 512, 512]
    distance_mm: np.ndarray   # float32 [N, 512, 512]: depth inside the lung, mm (float16 compares slowly)
    spacing_mm: float         # in-plane pixel size, mm
    slice_index: np.ndarray   # [N] index of each slice in the volume


@lru_cache(maxsize=1)
def _slice_bank() -> _SliceBank:
    ct = load_example_ct()
    index = lung_slice_indices(ct)
    hu = np.ascontiguousarray(ct.hu[index])
    lung = np.ascontiguousarray(ct.lung_mask()[index])
    spacing = float(ct.spacing_mm[1])
    if abs(ct.spacing_mm[1] - ct.spacing_mm[2]) > 1e-6 or hu.shape[1] != hu.shape[2]:
        raise ValueError("the example CT must have square slices and square pixels")
    distance = np.stack([lung_distance_mm(m, spacing) for m in lung])
    return _SliceBank(hu=hu, lung=lung, distance_mm=distance, spacing_mm=spacing, slice_index=index)


def _block_mean(x: np.ndarray, factor: int) -> np.ndarray:
    """Mean over factor×factor blocks of the last two axes (exact anti-aliasing for integer steps).

    NumPy on purpose: torch's pooling is multi-threaded and stalls on a busy machine for arrays
    this small (measured 7 ms -> 40 ms per item at load 8 on 2 cores).
    """
    if factor == 1:
        return x
    h, w = x.shape[-2:]
    return x.reshape(*x.shape[:-2], h // factor, factor, w // factor, factor).mean(axis=(-3, -1))


@lru_cache(maxsize=4)
def _working_bank(work_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Area-averaged (HU, lung share) slices at `work_size` px: float32 [N, work, work] each."""
    bank = _slice_bank()
    factor = bank.hu.shape[-1] // work_size
    hu = np.concatenate([_block_mean(bank.hu[i : i + 8].astype(np.float32), factor)
                         for i in range(0, len(bank.hu), 8)])
    lung = np.concatenate([_block_mean(bank.lung[i : i + 8].astype(np.float32), factor)
                           for i in range(0, len(bank.lung), 8)])
    hu.setflags(write=False)
    lung.setflags(write=False)
    return hu, lung


def _check_size(size: int) -> None:
    if size not in SUPPORTED_SIZES:
        raise ValueError(f"size must be one of {SUPPORTED_SIZES} px, got {size!r}")


def _finding_weights(finding_probs: dict[str, float] | None) -> np.ndarray:
    if finding_probs is None:
        return np.full(len(FINDING_CLASSES), 1.0 / len(FINDING_CLASSES))
    unknown = set(finding_probs) - set(FINDING_CLASSES)
    if unknown:
        raise ValueError(
            f"unknown findings {sorted(unknown)}; expected names from {', '.join(FINDING_CLASSES)}"
        )
    weights = np.array([float(finding_probs.get(f, 0.0)) for f in FINDING_CLASSES])
    if (weights < 0).any() or weights.sum() <= 0:
        raise ValueError(f"finding_probs must be non-negative with a positive sum: {finding_probs!r}")
    return weights / weights.sum()


class LabelledCTDataset(Dataset):
    """Real example-CT slices with inserted nodules; item i is a pure function of (seed, i).

    size:          output side in px (32, 64, 128, 256 or 512).
    seed:          base seed; the item's generator is numpy.random.default_rng([seed, i]).
    augment:       rotation ±5°, shift ±4%, intensity jitter (see module docstring).
    hu_range:      HU mapped to [-1, 1] by `hu_to_unit`.
    finding_probs: sampling weights per finding name (missing names weigh 0); None = uniform.
    length:        number of items (the stream is unbounded; this is the epoch length).
    """

    def __init__(
        self,
        size: int = 64,
        *,
        seed: int = 0,
        augment: bool = True,
        hu_range: tuple[float, float] = DEFAULT_HU_RANGE,
        finding_probs: dict[str, float] | None = None,
        length: int = 10_000,
    ) -> None:
        _check_size(size)
        if length < 1:
            raise ValueError(f"length must be positive, got {length!r}")
        self.size = int(size)
        self.seed = int(seed)
        self.augment = bool(augment)
        self.hu_range = (float(hu_range[0]), float(hu_range[1]))
        self.finding_weights = _finding_weights(finding_probs)
        self.length = int(length)
        bank = _slice_bank()
        full = bank.hu.shape[-1]
        self.work_size = min(2 * self.size, full)
        self._factor = full // self.work_size          # full-res -> working resolution
        self._final = self.work_size // self.size      # working -> output (1 or 2)
        self.pixel_spacing_mm = bank.spacing_mm * full / self.size
        _working_bank(self.work_size)                  # build caches now, not in the first item

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        if not 0 <= index < self.length:
            raise IndexError(f"index {index} out of range for length {self.length}")
        rng = np.random.default_rng([self.seed, int(index)])
        bank = _slice_bank()
        work_hu, work_lung = _working_bank(self.work_size)
        full = bank.hu.shape[-1]

        finding = int(rng.choice(len(FINDING_CLASSES), p=self.finding_weights))
        k = int(rng.integers(len(bank.hu)))
        image = work_hu[k].copy()
        lesion = np.zeros_like(image)
        diameter, margin_index = 0.0, -1
        centre_rc = None
        if finding != 0:
            diameter = float(rng.uniform(MIN_DIAMETER_MM, MAX_DIAMETER_MM))
            margin_index = int(rng.integers(len(MARGINS)))
            for _ in range(8):  # a large nodule may not fit a small basal slice: try another
                try:
                    patch = render_nodule(
                        bank.hu[k], bank.lung[k], bank.spacing_mm,
                        finding=FINDING_CLASSES[finding], diameter_mm=diameter,
                        margin=MARGINS[margin_index], rng=rng, distance_mm=bank.distance_mm[k],
                    )
                    break
                except ValueError:
                    k = int(rng.integers(len(bank.hu)))
            else:
                raise RuntimeError(f"no lung slice fits a {diameter:.1f} mm nodule")  # pragma: no cover
            image = work_hu[k].copy()
            f = self._factor
            # grow the rectangle to whole averaging blocks, average the change only
            r0, r1 = patch.rows.start // f * f, -(-patch.rows.stop // f) * f
            c0, c1 = patch.cols.start // f * f, -(-patch.cols.stop // f) * f
            delta = np.zeros((r1 - r0, c1 - c0), dtype=np.float32)
            cover = np.zeros_like(delta)
            inner = (slice(patch.rows.start - r0, patch.rows.stop - r0),
                     slice(patch.cols.start - c0, patch.cols.stop - c0))
            delta[inner] = patch.image_hu - bank.hu[k][patch.rows, patch.cols]
            cover[inner] = patch.occupancy >= 0.5
            image[r0 // f : r1 // f, c0 // f : c1 // f] += _block_mean(delta, f)
            lesion[r0 // f : r1 // f, c0 // f : c1 // f] = _block_mean(cover, f)
            centre_rc = patch.centre_rc

        # shift HU so that zero padding outside the field of view reads as air
        stack = np.stack([image - AIR_HU, work_lung[k], lesion])
        position = (0.5, 0.5)
        if centre_rc is not None:  # pixel centres at integer coordinates -> fraction of the side
            position = ((centre_rc[1] + 0.5) / full, (centre_rc[0] + 0.5) / full)
        scale, offset = 1.0, 0.0
        if self.augment:
            angle = np.deg2rad(rng.uniform(-MAX_ROTATION_DEG, MAX_ROTATION_DEG))
            shift = rng.uniform(-MAX_SHIFT_FRACTION, MAX_SHIFT_FRACTION, size=2)  # (x, y) fraction
            scale = float(rng.uniform(*HU_SCALE_JITTER))
            offset = float(rng.uniform(-HU_OFFSET_JITTER, HU_OFFSET_JITTER))
            stack, moved = _rotate_shift(stack, angle, shift, position)
            if centre_rc is not None:  # "normal" keeps the contract's fixed (0.5, 0.5)
                position = moved
        stack = torch.from_numpy(np.ascontiguousarray(_block_mean(stack, self._final)))
        hu = (stack[0] + AIR_HU) * scale + offset
        return {
            "image": hu_to_unit(hu, self.hu_range)[None].float(),
            "lesion_mask": stack[2:3].clamp(0.0, 1.0),
            "lung_mask": stack[1:2].clamp(0.0, 1.0),
            "finding": torch.tensor(finding, dtype=torch.int64),
            "severity": torch.tensor(
                diameter_mm_to_severity(diameter) if finding else 0.0, dtype=torch.float32
            ),
            "position": torch.tensor(position, dtype=torch.float32).clamp(0.0, 1.0),
            "pixel_spacing_mm": torch.tensor(self.pixel_spacing_mm, dtype=torch.float32),
            "diameter_mm": torch.tensor(diameter, dtype=torch.float32),
            "margin": torch.tensor(margin_index, dtype=torch.int64),
        }


@lru_cache(maxsize=8)
def _normalised_grid(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixel-centre coordinates in [-1, 1] (align_corners=False convention): (x [1, S], y [S, 1])."""
    centres = (2.0 * np.arange(size, dtype=np.float32) + 1.0) / size - 1.0
    return centres[None, :], centres[:, None]


def _rotate_shift(
    stack: np.ndarray, angle_rad: float, shift_xy: np.ndarray, position: tuple[float, float]
) -> tuple[np.ndarray, tuple[float, float]]:
    """Rotate about the centre and shift (fractions of the side) a [C, S, S] square stack.

    Returns the resampled stack (bilinear, zero outside) and where `position` (x, y fractions)
    moves to. An output pixel at normalised p samples the input at q = R p + t, with
    normalised = 2·fraction - 1; a square image with square pixels makes a rotation in normalised
    coordinates a rotation in millimetres. The grid is built in NumPy (torch's affine_grid is
    multi-threaded and slow on a busy machine at this size).
    """
    cos, sin = float(np.cos(angle_rad)), float(np.sin(angle_rad))
    rotation = np.array([[cos, -sin], [sin, cos]])
    translation = -2.0 * np.asarray(shift_xy, dtype=np.float64)  # content moves by +shift
    x, y = _normalised_grid(stack.shape[-1])
    grid = np.empty((1, stack.shape[-2], stack.shape[-1], 2), dtype=np.float32)
    grid[0, ..., 0] = cos * x - sin * y + translation[0]
    grid[0, ..., 1] = sin * x + cos * y + translation[1]
    out = F.grid_sample(torch.from_numpy(np.ascontiguousarray(stack, dtype=np.float32))[None],
                        torch.from_numpy(grid), mode="bilinear", padding_mode="zeros",
                        align_corners=False)[0].numpy()
    q = 2.0 * np.asarray(position) - 1.0
    p = rotation.T @ (q - translation)
    return out, (float((p[0] + 1.0) / 2.0), float((p[1] + 1.0) / 2.0))


def example_slices(size: int = 64, window: str | None = None) -> np.ndarray:
    """The real lesion-free lung slices of the example CT, float32 [N, 1, size, size].

    window None: hu_to_unit values in [-1, 1]; a WINDOW_PRESETS name ("lung", "mediastinum", ...):
    display brightness in [0, 1]. Anti-aliased by area averaging from 512 px.
    """
    _check_size(size)
    hu, _ = _working_bank(size)
    if window is None:
        out = hu_to_unit(hu)
    else:
        out = apply_window(hu, *window_preset(window))
    return np.ascontiguousarray(out[:, None], dtype=np.float32)


def real_images(
    n: int, size: int = 64, seed: int = 0, *, finding_probs: dict[str, float] | None = None
) -> np.ndarray:
    """n training-distribution images (float32 [n, 1, size, size] in [-1, 1]) for evaluation.

    Items 0..n-1 of LabelledCTDataset(size, seed=seed, finding_probs=...) : the same real slices,
    augmentation and inserted nodules the generator is trained to imitate.
    """
    data = LabelledCTDataset(size, seed=seed, finding_probs=finding_probs, length=max(n, 1))
    return np.stack([data[i]["image"].numpy() for i in range(n)]).astype(np.float32)

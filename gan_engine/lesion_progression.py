"""Lesion progression: one synthetic patient, the nodule's severity following a schedule over time.

    series = progression(model, "growth", seed=7, steps=6, finding="solid_nodule", position=(0.3, 0.45))
    series.frames      # float32 [6,1,H,W] in [-1, 1]

The latent (patient anatomy and nodule shape/texture) is fixed by `seed`; only the severity changes.
Because the generator is layered (anatomy(z) composited with a lesion layer whose support is the
severity-sized disc), frames are identical outside the lesion region and the lesion area grows
monotonically with severity (see docs/engine.md).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import torch

from gan_engine.checkpoint import LoadedModel
from gan_engine.conditions import Condition, severity_to_diameter_mm
from gan_engine.sample import latents_for_seeds, render_placed

SCHEDULES = ("growth", "regression", "stable")


@dataclass
class ProgressionSeries:
    """Frames of one patient over time and exactly what produced them."""

    frames: torch.Tensor            # float32 [T,1,H,W] in [-1, 1]
    severities: list[float]         # per frame, 0..1
    diameters_mm: list[float]       # per frame, severity_to_diameter_mm
    conditions: list[Condition]     # per frame
    seed: int                       # one seed: one patient and one nodule
    lesion_masks: torch.Tensor      # float32 [T,1,H,W] soft nodule support per frame
    anatomy: torch.Tensor           # float32 [1,1,H,W] the patient without the nodule
    checkpoint_sha256: str = ""
    pixel_spacing_mm: float = 0.0
    moved_into_lung: list[bool] = field(default_factory=list)  # per frame: placement moved the nodule


def schedule_severities(schedule: str | Sequence[float], steps: int,
                        severity_range: tuple[float, float] = (0.1, 0.9)) -> list[float]:
    """Severities of a named schedule over `steps` time points, or an explicit list checked to [0, 1].

    growth: linear from low to high; regression: high to low; stable: the midpoint throughout.
    """
    if not isinstance(schedule, str):
        values = [float(v) for v in schedule]
        if not values or any(not 0.0 <= v <= 1.0 for v in values):
            raise ValueError("an explicit schedule needs at least one severity, each in [0, 1]")
        return values
    if steps < 1:
        raise ValueError(f"steps must be >= 1, got {steps}")
    low, high = severity_range
    if not 0.0 <= low <= high <= 1.0:
        raise ValueError(f"severity_range must satisfy 0 <= low <= high <= 1, got {severity_range}")
    ramp = [low + (high - low) * i / max(steps - 1, 1) for i in range(steps)]
    if schedule == "growth":
        return ramp
    if schedule == "regression":
        return ramp[::-1]
    if schedule == "stable":
        return [(low + high) / 2] * steps
    raise ValueError(f"unknown schedule {schedule!r}; expected one of {', '.join(SCHEDULES)} or a list")


def progression(model: LoadedModel, schedule: str | Sequence[float], seed: int, *, steps: int = 6,
                finding: str = "solid_nodule", position: tuple[float, float] = (0.3, 0.45),
                condition: Condition | None = None, severity_range: tuple[float, float] = (0.1, 0.9),
                spacing_mm: float | None = None, placement: str = "lung") -> ProgressionSeries:
    """Frames of one patient (latent from `seed`) with severity following `schedule`.

    schedule: "growth", "regression", "stable" or an explicit list of severities (then `steps`
    is ignored). finding/position (x, y fractions) place the nodule; `condition`, if given,
    supplies both (its severity is ignored). spacing_mm: mm/px, default the checkpoint's.
    placement: "lung" (default) moves the nodule, once for the whole series, to where its largest
    diameter fits inside this patient's lung if it does not fit as requested; "exact" does not.
    """
    if condition is not None:
        finding, position = condition.finding, (condition.x, condition.y)
    severities = schedule_severities(schedule, steps, severity_range)
    conditions = [Condition(finding, s, float(position[0]), float(position[1])) for s in severities]
    latents = latents_for_seeds([seed] * len(conditions), model.generator.latent_dim)
    # One position for every frame: the place where the series' largest nodule fits.
    largest = [max(severity_to_diameter_mm(s) for s in severities)] * len(conditions)
    layers, conditions, moved = render_placed(model, latents, conditions, spacing_mm, placement,
                                              diameters_mm=largest)
    return ProgressionSeries(frames=layers["image"], severities=severities,
                             diameters_mm=[severity_to_diameter_mm(s) for s in severities],
                             conditions=conditions, seed=int(seed), lesion_masks=layers["support"],
                             anatomy=layers["anatomy"][:1], checkpoint_sha256=model.sha256,
                             pixel_spacing_mm=float(spacing_mm or model.pixel_spacing_mm),
                             moved_into_lung=moved)


def outside_lesion_mask(series: ProgressionSeries, threshold: float = 0.01, margin_px: int = 2) -> torch.Tensor:
    """[1,1,H,W] 1 where no frame's nodule support exceeds `threshold`, eroded by `margin_px` px."""
    union = (series.lesion_masks > threshold).any(dim=0, keepdim=True).float()
    if margin_px > 0:
        union = torch.nn.functional.max_pool2d(union, 2 * margin_px + 1, stride=1, padding=margin_px)
    return 1.0 - union


def lesion_areas_px(series: ProgressionSeries, threshold: float = 0.5) -> list[float]:
    """Nodule area per frame in px: pixels whose support exceeds `threshold`."""
    return [float(a) for a in (series.lesion_masks > threshold).flatten(1).sum(1)]


def strip_image(series: ProgressionSeries, path: str, scale: int = 1, window: str = "lung") -> str:
    """Save the frames left to right as one windowed PNG (`scale`: nearest-neighbour display zoom)."""
    from gan_engine.sample import save_image_grid

    return str(save_image_grid(series.frames, path, cols=len(series.severities), window=window, scale=scale))

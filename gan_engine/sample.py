"""Sampling: conditioned images from a loaded checkpoint, reproducible per seed.

    model = load_checkpoint("gan_engine/checkpoints/demo64")
    samples = generate(model, 8, Condition("solid_nodule", severity=0.6, x=0.3, y=0.45), seed=0)
    hu = samples.to_hu()           # float32 [8,1,64,64] Hounsfield units

Image i is drawn from latent ~ N(0, I) seeded by `seed + i` on the CPU, so a given (seed, condition)
gives the same patient and nodule whatever n or batch size; outputs are bit-for-bit reproducible on
the same device and software.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

import numpy as np
import torch

from gan_engine.checkpoint import LoadedModel
from gan_engine.conditions import Condition, severity_to_diameter_mm
from gan_engine.data.intensity import DEFAULT_HU_RANGE, WINDOW_PRESETS, apply_window, unit_to_hu
from gan_engine.placement import check_placement, place_in_lung


@dataclass
class Samples:
    """Generated images and exactly what produced each one."""

    images: torch.Tensor                  # float32 [n,1,H,W] in [-1, 1] (HU range DEFAULT_HU_RANGE)
    conditions: list[Condition]           # per image
    seeds: list[int]                      # per image: latent = randn(seed) on the CPU
    lesion_masks: torch.Tensor            # float32 [n,1,H,W] soft nodule support in [0, 1] (0 for normal)
    checkpoint_sha256: str = ""           # provenance: hash of the generator weights
    pixel_spacing_mm: float = 0.0         # mm per px of these images
    moved_into_lung: list[bool] = field(default_factory=list)  # per image: placement moved the nodule
    extras: dict = field(default_factory=dict)  # e.g. the anatomy layer for progression

    def to_hu(self, hu_range: tuple[float, float] = DEFAULT_HU_RANGE) -> torch.Tensor:
        """Images in Hounsfield units (float32), via gan_engine.data.intensity.unit_to_hu."""
        return unit_to_hu(self.images, hu_range)

    def __len__(self) -> int:
        return self.images.shape[0]


def latents_for_seeds(seeds: Sequence[int], latent_dim: int, truncation: float = 1.0) -> torch.Tensor:
    """One N(0, I) latent per seed (CPU, float32), scaled by `truncation` (psi; 1 = untruncated)."""
    rows = [torch.randn(latent_dim, generator=torch.Generator().manual_seed(int(s))) for s in seeds]
    return torch.stack(rows) * float(truncation)


def _conditions(condition: Condition | Sequence[Condition], n: int) -> list[Condition]:
    if isinstance(condition, Condition):
        return [condition] * n
    conditions = list(condition)
    if len(conditions) != n:
        raise ValueError(f"got {len(conditions)} conditions for n={n}; pass one or exactly n")
    if not all(isinstance(c, Condition) for c in conditions):
        raise TypeError("conditions must be gan_engine.Condition instances")
    return conditions


@torch.no_grad()
def render(model: LoadedModel, latents: torch.Tensor, conditions: Sequence[Condition],
           spacing_mm: float | None = None, batch_size: int = 64) -> dict[str, torch.Tensor]:
    """Run the generator on explicit latents [n, latent_dim]; returns image/anatomy/alpha/support (CPU)."""
    spacing = float(spacing_mm or model.pixel_spacing_mm)
    device = model.device
    out: dict[str, list[torch.Tensor]] = {"image": [], "anatomy": [], "alpha": [], "support": []}
    for lo in range(0, len(conditions), batch_size):
        chunk = conditions[lo:lo + batch_size]
        m = len(chunk)
        result = model.generator(
            latents[lo:lo + m].to(device),
            torch.tensor([c.finding_index for c in chunk], device=device),
            torch.tensor([c.severity for c in chunk], dtype=torch.float32, device=device),
            torch.tensor([[c.x, c.y] for c in chunk], dtype=torch.float32, device=device),
            torch.full((m,), spacing, device=device),
        )
        for key in out:
            out[key].append(getattr(result, key).float().cpu())
    tensors = {k: torch.cat(v) for k, v in out.items()}
    tensors["image"] = tensors["image"].clamp(-1, 1)
    tensors["anatomy"] = tensors["anatomy"].clamp(-1, 1)
    return tensors


def conditions_in_lung(anatomy: torch.Tensor, conditions: Sequence[Condition], spacing_mm: float,
                       diameters_mm: Sequence[float] | None = None) -> list[Condition]:
    """Each nodule moved into the lung of its own anatomy [n,1,H,W] (unit scale) where it does not fit
    there as requested (gan_engine.placement.place_in_lung); "normal" conditions are unchanged.
    diameters_mm: the diameter each nodule must fit at (default: its own severity's)."""
    hu = unit_to_hu(anatomy)[:, 0].numpy()
    placed = []
    for i, c in enumerate(conditions):
        if not c.has_lesion:
            placed.append(c)
            continue
        diameter = diameters_mm[i] if diameters_mm is not None else severity_to_diameter_mm(c.severity)
        where = place_in_lung(hu[i], c.x, c.y, diameter / spacing_mm)
        placed.append(replace(c, x=where.x, y=where.y) if where.moved else c)
    return placed


def render_placed(model: LoadedModel, latents: torch.Tensor, conditions: Sequence[Condition],
                  spacing_mm: float | None, placement: str, batch_size: int = 64,
                  diameters_mm: Sequence[float] | None = None
                  ) -> tuple[dict[str, torch.Tensor], list[Condition], list[bool]]:
    """`render`, with placement "lung" re-rendering the images whose nodule had to move into the lung;
    returns the layers, the conditions actually rendered and, per image, whether its nodule moved."""
    check_placement(placement)
    layers = render(model, latents, conditions, spacing_mm, batch_size)
    if placement == "exact":
        return layers, list(conditions), [False] * len(conditions)
    spacing = float(spacing_mm or model.pixel_spacing_mm)
    placed = conditions_in_lung(layers["anatomy"], conditions, spacing, diameters_mm)
    moved = [a != b for a, b in zip(conditions, placed)]
    if any(moved):
        rows = [i for i, m in enumerate(moved) if m]
        again = render(model, latents[rows], [placed[i] for i in rows], spacing_mm, batch_size)
        for key in layers:
            layers[key][rows] = again[key]
    return layers, placed, moved


def generate(model: LoadedModel, n: int, condition: Condition | Sequence[Condition], seed: int, *,
             truncation: float = 1.0, spacing_mm: float | None = None, batch_size: int = 64,
             placement: str = "lung") -> Samples:
    """Generate n images for one Condition (repeated) or a list of n; image i uses seed + i.

    spacing_mm: mm per px (sets the nodule's size in px); default = the checkpoint's training spacing.
    truncation: latent scale psi in (0, 1]; < 1 trades variety for typicality (Brock et al. 2019).
    placement:  "lung" (default) moves a nodule that would not lie inside the generated patient's
                lung to the nearest point of the same lung where it fits (gan_engine.placement);
                "exact" puts it where the condition says, lung or not.
    Returns float32 images in [-1, 1] (see Samples.to_hu for Hounsfield units) with the conditions
    actually rendered; the requested ones are in extras["requested_conditions"], and
    moved_into_lung[i] says whether placement moved image i's nodule away from its requested position.
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    requested = _conditions(condition, n)
    seeds = [int(seed) + i for i in range(n)]
    latents = latents_for_seeds(seeds, model.generator.latent_dim, truncation)
    layers, conditions, moved = render_placed(model, latents, requested, spacing_mm, placement, batch_size)
    return Samples(images=layers["image"], conditions=conditions, seeds=seeds,
                   lesion_masks=layers["support"], checkpoint_sha256=model.sha256,
                   pixel_spacing_mm=float(spacing_mm or model.pixel_spacing_mm), moved_into_lung=moved,
                   extras={"anatomy": layers["anatomy"], "alpha": layers["alpha"],
                           "requested_conditions": requested})


def to_display(images: torch.Tensor, window: str = "lung") -> np.ndarray:
    """[n,1,H,W] unit-scale images -> uint8 [n,H,W] through a CT window preset (see WINDOW_PRESETS)."""
    center, width = WINDOW_PRESETS[window]
    shown = apply_window(unit_to_hu(images.float().clamp(-1, 1)), center, width)
    return (shown[:, 0].numpy() * 255 + 0.5).astype(np.uint8)


def tile(images: np.ndarray, cols: int, gap: int = 2, scale: int = 1) -> np.ndarray:
    """uint8 [n,H,W] -> one uint8 mosaic with `cols` columns, `gap` px black borders, nearest `scale`."""
    if scale > 1:
        images = images.repeat(scale, axis=1).repeat(scale, axis=2)
    n, h, w = images.shape
    rows = -(-n // cols)
    out = np.zeros((rows * (h + gap) + gap, cols * (w + gap) + gap), np.uint8)
    for i in range(n):
        r, c = divmod(i, cols)
        out[gap + r * (h + gap):gap + r * (h + gap) + h, gap + c * (w + gap):gap + c * (w + gap) + w] = images[i]
    return out


def save_image_grid(images: torch.Tensor, path: str | Path, cols: int = 4, window: str = "lung",
                    scale: int = 1) -> Path:
    """Write [n,1,H,W] unit-scale images as one windowed PNG mosaic; returns the path."""
    from PIL import Image

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(tile(to_display(images, window), cols, scale=scale)).save(path)
    return path

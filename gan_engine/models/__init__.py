"""Networks: the layered conditional generator and the projection discriminator."""
from __future__ import annotations

from typing import Any

from gan_engine.models.discriminator import Discriminator
from gan_engine.models.generator import Generator, GeneratorOutput

__all__ = ["Discriminator", "Generator", "GeneratorOutput", "build_generator", "build_discriminator"]


def build_generator(cfg: Any, pixel_spacing_mm: float) -> Generator:
    """Generator for a TrainConfig (or its asdict) and the resolved default spacing (mm/px)."""
    get = cfg.get if isinstance(cfg, dict) else lambda k: getattr(cfg, k)
    return Generator(size=get("size"), z_dim=get("z_dim"), lesion_z_dim=get("lesion_z_dim"),
                     cond_dim=get("cond_dim"), width=get("g_width"), max_width=get("max_width"),
                     lesion_width=get("lesion_width"), shape_harmonics=get("shape_harmonics"),
                     max_shape_perturbation=get("max_shape_perturbation"),
                     pixel_spacing_mm=pixel_spacing_mm)


def build_discriminator(cfg: Any) -> Discriminator:
    """Discriminator for a TrainConfig (or its asdict)."""
    get = cfg.get if isinstance(cfg, dict) else lambda k: getattr(cfg, k)
    return Discriminator(size=get("size"), width=get("d_width"), max_width=get("max_width"))

"""Engine settings: frozen dataclasses, small TOML files and `--key=value` overrides.

The same `asdict(cfg)` is written into every checkpoint, so a checkpoint alone rebuilds its model.

    cfg = load_train_config("gan_engine/configs/demo64.toml", ["--steps=200", "--batch_size=8"])
"""
from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Iterable, TypeVar

SUPPORTED_SIZES = (64, 128, 256)


@dataclass(frozen=True)
class TrainConfig:
    """Everything that defines a training run (model shape, optimiser, data, schedule)."""

    # --- model ---
    size: int = 64                   # output side in px (64, 128 or 256); square images
    z_dim: int = 64                  # latent size of the anatomy ("patient") code
    lesion_z_dim: int = 16           # latent size of the lesion shape/texture code
    cond_dim: int = 32               # width of the embedded condition (class, severity, position)
    g_width: int = 16                # generator channels at the highest resolution; doubles per halving
    d_width: int = 16                # discriminator channels at the highest resolution
    max_width: int = 128             # channel cap in both networks (keeps 4x4/8x8 stages small)
    lesion_width: int = 16           # channels of the full-resolution lesion branch
    shape_harmonics: int = 3         # Fourier harmonics of the lesion outline perturbation
    max_shape_perturbation: float = 0.25  # outline radius varies within (1 +/- this) x nominal
    pixel_spacing_mm: float = 0.0    # default mm/px for sampling; 0 = take the dataset's median

    # --- optimisation (R3GAN recipe, Huang et al. 2024) ---
    steps: int = 2000                # optimiser steps (one D and one G update each)
    batch_size: int = 16             # images per step
    g_lr: float = 2e-4               # Adam learning rate of G
    d_lr: float = 2e-4               # Adam learning rate of D
    betas: tuple[float, float] = (0.0, 0.99)  # Adam betas; beta1 = 0 as in R3GAN / StyleGAN2
    gamma: float = 0.5               # R1 and R2 weight (gamma/2 * E|grad D|^2)
    reg_every: int = 4               # lazy regularisation interval (steps); 1 = every step
    ema_half_life_images: float = 5000.0  # EMA half-life in images shown (Karras et al. 2019)
    ema_rampup: float = 0.05         # EMA half-life ramps up with training (fraction of images seen)
    severity_jitter: float = 0.03    # +/- uniform noise on fake severities so severity stays continuous
    augment_p: float = 1.0           # probability of DiffAugment per op (applied to real and fake)
    translation: float = 0.0625      # DiffAugment max shift as a fraction of the side
    cutout: float = 0.25             # DiffAugment cutout square as a fraction of the side
    mixed_precision: str = "auto"    # "auto" (bf16 on CUDA, off on CPU), "bf16", "fp16", "off"

    # --- data ---
    dataset_length: int = 10_000     # virtual length of LabelledCTDataset (it synthesises on the fly)
    finding_probs: tuple[float, ...] = ()  # class sampling probabilities; () = the dataset default
    num_workers: int = 0             # DataLoader workers; 0 keeps CPU runs deterministic and light
    cache_items: int = 0             # pre-render this many items into memory and cycle them (0 = off);
                                     # pays off on CPU, where rendering costs as much as a model step

    # --- bookkeeping ---
    seed: int = 0                    # seeds torch, numpy and the dataset
    device: str = "auto"             # "auto" (cuda if available), "cpu", "cuda", "cuda:1", ...
    threads: int = 0                 # torch CPU threads; 0 = leave torch's default
    log_every: int = 10              # progress_fn interval (steps)
    sample_every: int = 500          # sample grid PNG interval (steps); 0 = never
    checkpoint_every: int = 500      # checkpoint interval (steps); the last step always saves

    def __post_init__(self) -> None:
        if self.size not in SUPPORTED_SIZES:
            raise ValueError(f"size must be one of {SUPPORTED_SIZES}, got {self.size}")
        if self.steps < 0 or self.batch_size < 1 or self.reg_every < 1:
            raise ValueError("steps must be >= 0, batch_size and reg_every >= 1")
        if self.mixed_precision not in ("auto", "bf16", "fp16", "off"):
            raise ValueError(f"mixed_precision must be auto, bf16, fp16 or off, got {self.mixed_precision!r}")
        if len(self.betas) != 2:
            raise ValueError("betas must hold two numbers")


@dataclass(frozen=True)
class SampleConfig:
    """How to draw samples from a trained checkpoint."""

    n: int = 16                      # number of images
    seed: int = 0                    # first seed; image i uses seed + i
    finding: str = "solid_nodule"    # a name from FINDING_CLASSES, or "all" to cycle through them
    severity: float = 0.5            # 0..1, see conditions.severity_to_diameter_mm
    x: float = 0.3                   # lesion centre, fraction of the width
    y: float = 0.45                  # lesion centre, fraction of the height
    truncation: float = 1.0          # latent truncation psi (1 = none); < 1 trades variety for quality
    device: str = "auto"             # "auto", "cpu" or "cuda"


C = TypeVar("C", TrainConfig, SampleConfig)


def _coerce(value: Any, current: Any, name: str) -> Any:
    """Convert a TOML or command-line value to the type of the field's default."""
    if isinstance(current, bool):
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "false"):
            return str(value).lower() == "true"
        raise ValueError(f"{name} must be true or false, got {value!r}")
    if isinstance(current, tuple):
        items = value if isinstance(value, (list, tuple)) else [v for v in str(value).split(",") if v.strip()]
        return tuple(float(v) for v in items)
    if isinstance(current, int):
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f"{name} must be an integer, got {value!r}")
        return int(float(value)) if isinstance(value, str) and "e" in value.lower() else int(value)
    if isinstance(current, float):
        return float(value)
    return str(value)


def config_from_dict(cls: type[C], data: dict[str, Any]) -> C:
    """Build `cls` from a dict (TOML table or checkpoint JSON); unknown keys are an error."""
    known = {f.name: f for f in fields(cls)}
    unknown = set(data) - set(known)
    if unknown:
        raise ValueError(f"unknown {cls.__name__} keys: {', '.join(sorted(unknown))}")
    defaults = cls()
    values = {k: _coerce(v, getattr(defaults, k), k) for k, v in data.items()}
    return cls(**values)


def parse_overrides(overrides: Iterable[str]) -> dict[str, str]:
    """Turn ["--steps=100", "batch_size=8"] into {"steps": "100", "batch_size": "8"}."""
    out: dict[str, str] = {}
    for item in overrides:
        key, sep, value = item.lstrip("-").partition("=")
        if not sep or not key:
            raise ValueError(f"override {item!r} is not of the form --key=value")
        out[key.replace("-", "_")] = value
    return out


def load_config(cls: type[C], path: str | Path | None = None, overrides: Iterable[str] = ()) -> C:
    """Read a TOML file (flat keys) for `cls`, then apply `--key=value` overrides on top."""
    data: dict[str, Any] = {}
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"config file not found: {path}")
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    data.update(parse_overrides(overrides))
    return config_from_dict(cls, data)


def load_train_config(path: str | Path | None = None, overrides: Iterable[str] = ()) -> TrainConfig:
    """`load_config(TrainConfig, path, overrides)`."""
    return load_config(TrainConfig, path, overrides)


def config_to_dict(cfg: TrainConfig | SampleConfig) -> dict[str, Any]:
    """JSON-ready `asdict(cfg)` (tuples become lists)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(cfg).items()}


def replace(cfg: C, **changes: Any) -> C:
    """`dataclasses.replace` re-exported so callers need not import dataclasses."""
    return dataclasses.replace(cfg, **changes)

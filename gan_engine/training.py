"""Training loop: RpGAN + R1/R2 (R3GAN), DiffAugment, EMA generator, resumable checkpoints.

    from gan_engine import train, TrainConfig
    result = train(TrainConfig(steps=2000), "runs/demo64", progress_fn=print)

The same code runs on CPU and CUDA (bf16 autocast there). Every random draw of step s comes from
a generator seeded by (cfg.seed, s, purpose), so a run resumed at step s continues exactly as if it
had never stopped: no RNG state needs saving, and `train 4 = train 2 + resume 2` holds bit for bit.
"""
from __future__ import annotations

import copy
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from gan_engine.augment import diff_augment
from gan_engine.checkpoint import (GENERATOR_FILE, TRAIN_STATE_FILE, CheckpointError, load_optimizer_tensors,
                                   optimizer_tensors, read_meta, read_tensors, resolve_device, save_checkpoint,
                                   verify_file)
from gan_engine.config import TrainConfig, config_to_dict
from gan_engine.losses import gradient_penalty, rpgan_discriminator_loss, rpgan_generator_loss
from gan_engine.models import Generator, build_discriminator, build_generator

# Keys of the dict passed to progress_fn (constant so the platform can rely on them).
PROGRESS_KEYS = ("step", "total_steps", "losses", "images_per_s", "eta_s", "elapsed_s")
# Fields that may differ when resuming (schedule and bookkeeping, not the model or the optimiser).
RESUMABLE_CHANGES = {"steps", "log_every", "sample_every", "checkpoint_every", "device", "threads",
                     "num_workers", "mixed_precision"}
CHECKPOINT_DIR = "checkpoint"
SAMPLES_DIR = "samples"

ProgressFn = Callable[[dict[str, Any]], None]


@dataclass
class TrainResult:
    """What `train` returns."""

    checkpoint: Path               # checkpoint folder (run_dir/checkpoint)
    step: int                      # steps completed in total (including resumed ones)
    stopped: bool                  # True if should_stop() ended the run early
    images_per_s: float            # training throughput of this call (real images per second)
    losses: dict[str, float] = field(default_factory=dict)  # last logged losses
    sha256: str = ""               # hash of the saved generator weights
    elapsed_s: float = 0.0         # wall time of this call


def step_generator(seed: int, step: int, purpose: int) -> torch.Generator:
    """A CPU generator seeded by (seed, step, purpose): the source of every random draw of a step."""
    return torch.Generator().manual_seed((seed * 1_000_003 + step) * 16 + purpose)


class StepBatches(torch.utils.data.Sampler):
    """Yields the dataset indices of steps start..end-1; indices of step s depend only on (seed, s)."""

    def __init__(self, length: int, batch_size: int, seed: int, start: int, end: int) -> None:
        self.length, self.batch_size, self.seed, self.start, self.end = length, batch_size, seed, start, end

    def __iter__(self):
        for step in range(self.start, self.end):
            g = step_generator(self.seed, step, 0)
            yield torch.randint(self.length, (self.batch_size,), generator=g).tolist()

    def __len__(self) -> int:
        return max(0, self.end - self.start)


def default_dataset(cfg: TrainConfig) -> Dataset:
    """LabelledCTDataset (example chest CT with inserted nodules) for the config."""
    from gan_engine.data.labelled import LabelledCTDataset

    kwargs: dict[str, Any] = {"seed": cfg.seed, "augment": True, "length": cfg.dataset_length}
    if cfg.finding_probs:
        from gan_engine.conditions import FINDING_CLASSES

        if len(cfg.finding_probs) != len(FINDING_CLASSES):
            raise ValueError(f"finding_probs needs {len(FINDING_CLASSES)} numbers ({', '.join(FINDING_CLASSES)})")
        kwargs["finding_probs"] = dict(zip(FINDING_CLASSES, cfg.finding_probs))
    return LabelledCTDataset(cfg.size, **kwargs)


class CachedItems(Dataset):
    """The first n items of a dataset rendered once and held in memory (image and labels only)."""

    KEYS = ("image", "finding", "severity", "position", "pixel_spacing_mm")

    def __init__(self, dataset: Dataset, n: int) -> None:
        items = [dataset[i] for i in range(min(n, len(dataset)))]
        self.tensors = {k: torch.stack([torch.as_tensor(it[k]) for it in items]) for k in self.KEYS}
        self.source = dataset

    def __len__(self) -> int:
        return self.tensors["image"].shape[0]

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        return {k: v[i] for k, v in self.tensors.items()}


def dataset_fingerprint(dataset: Dataset, items: int = 4) -> str:
    """sha256 over the dataset's class, length and its first `items` images and labels.

    Uses `dataset.fingerprint` when the dataset provides one.
    """
    own = getattr(dataset, "fingerprint", None)
    if own is not None:
        return str(own() if callable(own) else own)
    digest = hashlib.sha256(f"{type(dataset).__qualname__}:{len(dataset)}".encode())
    for i in range(min(items, len(dataset))):
        item = dataset[i]
        for key in sorted(item):
            digest.update(key.encode())
            digest.update(np.ascontiguousarray(torch.as_tensor(item[key]).numpy()).tobytes())
    return digest.hexdigest()


def median_spacing(dataset: Dataset, items: int = 16) -> float:
    """Median pixel_spacing_mm of the first items (mm/px); the default spacing for sampling."""
    values = [float(dataset[i]["pixel_spacing_mm"]) for i in range(min(items, len(dataset)))]
    return float(np.median(values))


def autocast_dtype(cfg: TrainConfig, device: torch.device) -> torch.dtype | None:
    """bf16/fp16 on CUDA as configured; None (full precision) on CPU or when "off"."""
    if device.type != "cuda" or cfg.mixed_precision == "off":
        return None
    return torch.float16 if cfg.mixed_precision == "fp16" else torch.bfloat16


def ema_beta(cfg: TrainConfig, images_seen: int) -> float:
    """Per-step EMA decay from a half-life in images, ramped up early (Karras et al. 2019/2020)."""
    half_life = cfg.ema_half_life_images
    if cfg.ema_rampup > 0:
        half_life = min(half_life, images_seen * cfg.ema_rampup)
    return 0.5 ** (cfg.batch_size / max(half_life, 1e-8))


def fixed_grid_inputs(cfg: TrainConfig, spacing: float, rows: int = 4) -> dict[str, torch.Tensor]:
    """Latents and conditions of the periodic sample grid: classes across columns, severity down rows."""
    from gan_engine.conditions import FINDING_CLASSES

    cols = len(FINDING_CLASSES)
    g = torch.Generator().manual_seed(cfg.seed + 12345)
    latent = torch.randn(rows * cols, cfg.z_dim + cfg.lesion_z_dim, generator=g)
    finding = torch.arange(cols).repeat(rows)
    severity = torch.linspace(0.2, 1.0, rows).repeat_interleave(cols)
    position = torch.tensor([0.3, 0.45]).repeat(rows * cols, 1)
    return {"latent": latent, "finding": finding, "severity": severity, "position": position,
            "spacing_mm": torch.full((rows * cols,), spacing)}


def save_grid(generator: Generator, inputs: dict[str, torch.Tensor], path: Path, cols: int) -> None:
    """Render the fixed sample grid with `generator` to a PNG (lung window)."""
    from gan_engine.sample import save_image_grid

    device = next(generator.parameters()).device
    with torch.no_grad():
        images = generator(**{k: v.to(device) for k, v in inputs.items()}).image
    save_image_grid(images.float().cpu(), path, cols=cols)


def _check_resumable(saved: dict[str, Any], cfg: TrainConfig) -> None:
    ours = config_to_dict(cfg)
    diff = sorted(k for k in ours if k not in RESUMABLE_CHANGES and saved.get(k) != ours[k])
    if diff:
        raise CheckpointError(f"cannot resume: config differs from the checkpoint in {', '.join(diff)}")


def train(cfg: TrainConfig, run_dir: str | Path, progress_fn: ProgressFn | None = None,
          should_stop: Callable[[], bool] | None = None, *, dataset: Dataset | None = None,
          resume: bool = True) -> TrainResult:
    """Train the layered conditional GAN for cfg.steps steps; checkpoint to run_dir/checkpoint.

    progress_fn(dict) is called every cfg.log_every steps and at the end with PROGRESS_KEYS:
      step, total_steps, losses {d, g, r1, r2}, images_per_s (real images/s this call),
      eta_s (seconds to cfg.steps at the current rate), elapsed_s.
    should_stop() is polled after every step; True saves a resumable checkpoint and returns.
    With resume=True an existing run_dir/checkpoint (with its train state) is continued; its
    config must equal cfg apart from RESUMABLE_CHANGES (e.g. a larger `steps`).
    `dataset` overrides LabelledCTDataset (tests pass a tiny one); items follow its contract.
    """
    run_dir = Path(run_dir)
    ckpt_dir = run_dir / CHECKPOINT_DIR
    device = resolve_device(cfg.device)
    if cfg.threads > 0:
        torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    np.random.seed(cfg.seed % 2**32)

    dataset = dataset if dataset is not None else default_dataset(cfg)
    fingerprint = dataset_fingerprint(dataset)
    if cfg.cache_items:
        dataset = CachedItems(dataset, cfg.cache_items)
    spacing = cfg.pixel_spacing_mm or median_spacing(dataset)

    G = build_generator(cfg, spacing).to(device)
    D = build_discriminator(cfg).to(device)
    G_ema = copy.deepcopy(G).eval().requires_grad_(False)
    # Lazy regularisation: scale betas and lr as in StyleGAN2 (Karras et al. 2020, appendix B).
    ratio = cfg.reg_every / (cfg.reg_every + 1)
    opt_g = torch.optim.Adam(G.parameters(), lr=cfg.g_lr, betas=tuple(cfg.betas))
    opt_d = torch.optim.Adam(D.parameters(), lr=cfg.d_lr * ratio,
                             betas=tuple(b ** ratio for b in cfg.betas))

    start, images_seen, elapsed_before, sha = 0, 0, 0.0, ""
    if resume and (ckpt_dir / TRAIN_STATE_FILE).exists():
        meta = read_meta(ckpt_dir)
        _check_resumable(meta["config"], cfg)
        spacing = float(meta["pixel_spacing_mm"])
        state = read_tensors(verify_file(ckpt_dir, meta, TRAIN_STATE_FILE))
        ema_state = read_tensors(verify_file(ckpt_dir, meta, GENERATOR_FILE))
        G.load_state_dict({k[2:]: v for k, v in state.items() if k.startswith("G.")})
        D.load_state_dict({k[2:]: v for k, v in state.items() if k.startswith("D.")})
        G_ema.load_state_dict(ema_state)
        load_optimizer_tensors(opt_g, {k: v.to(device) for k, v in state.items()}, "opt_g.")
        load_optimizer_tensors(opt_d, {k: v.to(device) for k, v in state.items()}, "opt_d.")
        start = int(meta["stats"]["step"])
        images_seen = int(meta["stats"]["images_seen"])
        elapsed_before = float(meta["stats"].get("train_seconds", 0.0))
        sha = meta["files"][GENERATOR_FILE] if start >= cfg.steps else ""  # nothing left to train

    amp = autocast_dtype(cfg, device)
    scaler = torch.amp.GradScaler("cuda", enabled=amp == torch.float16)
    grid_inputs = fixed_grid_inputs(cfg, spacing)
    loader = DataLoader(dataset, batch_sampler=StepBatches(len(dataset), cfg.batch_size, cfg.seed, start, cfg.steps),
                        num_workers=cfg.num_workers, pin_memory=device.type == "cuda")
    latent_dim = cfg.z_dim + cfg.lesion_z_dim
    gamma_half = cfg.gamma / 2

    def autocast():
        return torch.autocast(device.type, dtype=amp, enabled=amp is not None)

    def save(step: int, losses: dict[str, float], train_seconds: float) -> str:
        train_state = {**{"G." + k: v.detach().cpu().contiguous() for k, v in G.state_dict().items()},
                       **{"D." + k: v.detach().cpu().contiguous() for k, v in D.state_dict().items()},
                       **optimizer_tensors(opt_g, "opt_g."), **optimizer_tensors(opt_d, "opt_d.")}
        stats = {"step": step, "images_seen": images_seen, "losses": losses, "train_seconds": train_seconds,
                 "device": str(device)}
        return save_checkpoint(ckpt_dir, cfg=cfg, ema=G_ema, pixel_spacing_mm=spacing,
                               dataset_fingerprint=fingerprint, stats=stats, train_state=train_state)

    t0 = time.perf_counter()
    step, losses, stopped = start, {}, False
    rate = 0.0
    for batch in loader:
        real = batch["image"].to(device, non_blocking=True)
        finding = batch["finding"].to(device).long().view(-1)
        severity = batch["severity"].to(device).float().view(-1)
        position = batch["position"].to(device).float().view(-1, 2)
        spacing_mm = batch["pixel_spacing_mm"].to(device).float().view(-1)
        n = real.shape[0]
        g_latent = step_generator(cfg.seed, step, 1)
        latent = torch.randn(n, latent_dim, generator=g_latent).to(device)
        # Jitter severities of the fakes so G sees a continuum, not only the dataset's values.
        jitter = (torch.rand(n, generator=g_latent) * 2 - 1).to(device) * cfg.severity_jitter
        fake_severity = (severity + jitter).clamp(0, 1)
        cond = (finding, fake_severity, position)
        g_aug = step_generator(cfg.seed, step, 2)
        regularise = step % cfg.reg_every == 0

        def aug(x: torch.Tensor) -> torch.Tensor:
            return diff_augment(x, g_aug, p=cfg.augment_p, translation=cfg.translation, cutout=cfg.cutout)

        # --- discriminator step ---
        G.requires_grad_(False)
        D.requires_grad_(True)
        with torch.no_grad(), autocast():
            fake = G(latent, *cond, spacing_mm).image.float()
        real_in = real.detach().requires_grad_(regularise)
        fake_in = fake.detach().requires_grad_(regularise)
        with autocast():
            real_logits = D(aug(real_in), finding, severity, position)
            fake_logits = D(aug(fake_in), *cond)
        loss_d = rpgan_discriminator_loss(real_logits, fake_logits)
        total_d = loss_d
        if regularise:
            r1 = gradient_penalty(real_logits, real_in)
            r2 = gradient_penalty(fake_logits, fake_in)
            total_d = total_d + gamma_half * (r1 + r2) * cfg.reg_every
            losses["r1"], losses["r2"] = float(r1.detach()), float(r2.detach())
        opt_d.zero_grad(set_to_none=True)
        scaler.scale(total_d).backward()
        scaler.step(opt_d)

        # --- generator step ---
        G.requires_grad_(True)
        D.requires_grad_(False)
        with autocast():
            fake = G(latent, *cond, spacing_mm).image
            with torch.no_grad():
                real_logits = D(aug(real), finding, severity, position)
            fake_logits = D(aug(fake), *cond)
        loss_g = rpgan_generator_loss(real_logits, fake_logits)
        opt_g.zero_grad(set_to_none=True)
        scaler.scale(loss_g).backward()
        scaler.step(opt_g)
        scaler.update()

        images_seen += n
        step += 1
        with torch.no_grad():
            beta = ema_beta(cfg, images_seen)
            for p_ema, p in zip(G_ema.parameters(), G.parameters()):
                p_ema.lerp_(p, 1 - beta)
            for b_ema, b in zip(G_ema.buffers(), G.buffers()):
                b_ema.copy_(b)
        losses["d"], losses["g"] = float(loss_d.detach()), float(loss_g.detach())

        elapsed = time.perf_counter() - t0
        rate = (step - start) * cfg.batch_size / max(elapsed, 1e-9)
        stop_now = should_stop is not None and should_stop()
        last = step == cfg.steps or stop_now
        if progress_fn is not None and (step % cfg.log_every == 0 or last):
            progress_fn({"step": step, "total_steps": cfg.steps, "losses": dict(losses),
                         "images_per_s": rate, "eta_s": (cfg.steps - step) * cfg.batch_size / max(rate, 1e-9),
                         "elapsed_s": elapsed})
        if cfg.sample_every and (step % cfg.sample_every == 0 or last):
            save_grid(G_ema, grid_inputs, run_dir / SAMPLES_DIR / f"step_{step:06d}.png", cols=4)
        if last or (cfg.checkpoint_every and step % cfg.checkpoint_every == 0):
            sha = save(step, dict(losses), elapsed_before + elapsed)
        if stop_now:
            stopped = True
            break

    elapsed = time.perf_counter() - t0
    if not sha:  # nothing to do (already at cfg.steps) or zero steps: still leave a checkpoint
        sha = save(step, dict(losses), elapsed_before + elapsed)
    return TrainResult(checkpoint=ckpt_dir, step=step, stopped=stopped, images_per_s=rate,
                       losses=dict(losses), sha256=sha, elapsed_s=elapsed)


__all__ = ["PROGRESS_KEYS", "TrainResult", "train"]

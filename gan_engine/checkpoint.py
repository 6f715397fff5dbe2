"""Checkpoints: safetensors weights + a JSON file that rebuilds the model. Never pickles.

A checkpoint is a folder:

    config.json               format tag, asdict(TrainConfig), resolved pixel spacing, dataset
                              fingerprint, code version, training stats, sha256 of each weights file
    generator.safetensors     EMA generator: all that sampling needs (its sha256 is the model's hash)
    train_state.safetensors   raw G, D, both Adam states: only needed to resume training (optional;
                              the shipped demo checkpoint leaves it out to stay small)

Every file is written to a temporary name and `os.replace`d; config.json goes last and records the
weights' hashes, so a half-written checkpoint is detected on load instead of silently used.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from gan_engine.config import TrainConfig, config_from_dict, config_to_dict
from gan_engine.models import Generator, build_generator

FORMAT = "gan_engine.checkpoint/1"
CONFIG_FILE = "config.json"
GENERATOR_FILE = "generator.safetensors"
TRAIN_STATE_FILE = "train_state.safetensors"


class CheckpointError(Exception):
    """A checkpoint is missing, corrupt or does not match its config (message says which)."""


@dataclass
class LoadedModel:
    """A generator ready for sampling, with the provenance that goes into every exported image."""

    generator: Generator            # EMA generator in eval mode on `device`
    config: TrainConfig             # the config it was trained with
    meta: dict[str, Any]            # the whole config.json (stats, fingerprint, code version)
    sha256: str                     # hash of generator.safetensors: the checkpoint's identity
    path: Path                      # the checkpoint folder
    device: torch.device = field(default_factory=lambda: torch.device("cpu"))

    @property
    def size(self) -> int:
        """Output side in px."""
        return self.config.size

    @property
    def pixel_spacing_mm(self) -> float:
        """Default mm per px of generated images (sets nodule size in px)."""
        return float(self.meta["pixel_spacing_mm"])


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file's bytes (streamed)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def code_version() -> dict[str, str | None]:
    """gan_engine.__version__ and, when the package sits in a git work tree, the commit hash."""
    from gan_engine import __version__

    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent, capture_output=True,
                                text=True, timeout=5, check=True).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        commit = None
    return {"version": __version__, "git_commit": commit}


def _atomic_write(path: Path, write: Any) -> None:
    """Call write(tmp_path) then os.replace onto `path` so readers never see a partial file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; checkpoints are meant to be shared and shipped
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _cpu_state(module: torch.nn.Module, prefix: str = "") -> dict[str, torch.Tensor]:
    return {prefix + k: v.detach().to("cpu").contiguous().clone() for k, v in module.state_dict().items()}


def optimizer_tensors(opt: torch.optim.Optimizer, prefix: str) -> dict[str, torch.Tensor]:
    """Flatten an optimiser's per-parameter state to named tensors (hyperparameters live in the config)."""
    out = {}
    for index, state in opt.state_dict()["state"].items():
        for key, value in state.items():
            tensor = value if isinstance(value, torch.Tensor) else torch.tensor(value)
            out[f"{prefix}{index}.{key}"] = tensor.detach().to("cpu").contiguous().clone()
    return out


def load_optimizer_tensors(opt: torch.optim.Optimizer, tensors: dict[str, torch.Tensor], prefix: str) -> None:
    """Inverse of `optimizer_tensors`."""
    state: dict[int, dict[str, torch.Tensor]] = {}
    for name, tensor in tensors.items():
        if name.startswith(prefix):
            index, key = name[len(prefix):].split(".", 1)
            state.setdefault(int(index), {})[key] = tensor
    sd = opt.state_dict()
    sd["state"] = state
    opt.load_state_dict(sd)


def save_checkpoint(folder: str | Path, *, cfg: TrainConfig, ema: Generator, pixel_spacing_mm: float,
                    dataset_fingerprint: str, stats: dict[str, Any],
                    train_state: dict[str, torch.Tensor] | None = None) -> str:
    """Write a checkpoint folder atomically; return the generator's sha256."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    gen_path = folder / GENERATOR_FILE
    _atomic_write(gen_path, lambda tmp: save_file(_cpu_state(ema), tmp, metadata={"format": FORMAT}))
    files = {GENERATOR_FILE: sha256_file(gen_path)}
    state_path = folder / TRAIN_STATE_FILE
    if train_state is not None:
        _atomic_write(state_path, lambda tmp: save_file(train_state, tmp, metadata={"format": FORMAT}))
        files[TRAIN_STATE_FILE] = sha256_file(state_path)
    elif state_path.exists():
        state_path.unlink()  # a stale train state would not match the new generator
    meta = {
        "format": FORMAT,
        "config": config_to_dict(cfg),
        "pixel_spacing_mm": float(pixel_spacing_mm),
        "dataset_fingerprint": dataset_fingerprint,
        "code_version": code_version(),
        "stats": stats,
        "files": files,
    }
    text = json.dumps(meta, indent=2, sort_keys=True)
    _atomic_write(folder / CONFIG_FILE, lambda tmp: Path(tmp).write_text(text + "\n"))
    return files[GENERATOR_FILE]


def checkpoint_folder(path: str | Path) -> Path:
    """Accept a checkpoint folder, its config.json, its generator file or a run folder holding `checkpoint/`."""
    path = Path(path)
    if path.is_file():
        path = path.parent
    if not (path / CONFIG_FILE).exists() and (path / "checkpoint" / CONFIG_FILE).exists():
        path = path / "checkpoint"
    return path


def read_meta(path: str | Path) -> dict[str, Any]:
    """Parse and validate config.json of a checkpoint; CheckpointError with a one-line reason."""
    folder = checkpoint_folder(path)
    if not folder.exists():
        raise CheckpointError(f"checkpoint not found: {path}")
    config_path = folder / CONFIG_FILE
    if not config_path.is_file():
        raise CheckpointError(f"not a checkpoint (no {CONFIG_FILE}): {folder}")
    try:
        meta = json.loads(config_path.read_text())
    except (ValueError, UnicodeDecodeError) as exc:
        raise CheckpointError(f"corrupt checkpoint: {config_path} is not valid JSON ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise CheckpointError(f"unsupported checkpoint format in {config_path}: expected {FORMAT!r}")
    return meta


def verify_file(folder: Path, meta: dict[str, Any], name: str) -> Path:
    """Check a weights file exists and matches the hash recorded in config.json."""
    path = folder / name
    if not path.is_file():
        raise CheckpointError(f"checkpoint is missing {name}: {folder}")
    expected = meta.get("files", {}).get(name)
    actual = sha256_file(path)
    if expected != actual:
        raise CheckpointError(f"corrupt checkpoint: {name} does not match the sha256 in {CONFIG_FILE} ({folder})")
    return path


def read_tensors(path: Path) -> dict[str, torch.Tensor]:
    """load_file with corrupt files turned into CheckpointError."""
    try:
        return load_file(str(path))
    except (SafetensorError, OSError, ValueError) as exc:
        raise CheckpointError(f"corrupt checkpoint: cannot read {path.name} ({exc})") from None


def resolve_device(name: str | torch.device = "auto") -> torch.device:
    """"auto" -> cuda if available else cpu; an explicit choice ("cpu", "cuda:1", a torch.device) is kept."""
    if isinstance(name, str) and name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def config_from_meta(meta: dict[str, Any]) -> TrainConfig:
    """The TrainConfig recorded in a checkpoint's config.json (as returned by `read_meta`)."""
    return config_from_dict(TrainConfig, meta["config"])


def config_from_checkpoint(path: str | Path) -> TrainConfig:
    """The TrainConfig stored in a checkpoint (to resume or reproduce a run)."""
    return config_from_meta(read_meta(path))


def load_checkpoint(path: str | Path, device: str | torch.device = "cpu") -> LoadedModel:
    """Rebuild the EMA generator from a checkpoint folder (weights + JSON config; no pickle) on
    `device` ("auto": cuda if available, see `resolve_device`).

    Raises CheckpointError for a missing folder or file, invalid JSON, an unknown format, weights
    whose sha256 differs from config.json, or weights whose names/shapes do not fit the config.
    """
    folder = checkpoint_folder(path)
    meta = read_meta(folder)
    try:
        cfg = config_from_meta(meta)
        generator = build_generator(cfg, float(meta["pixel_spacing_mm"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise CheckpointError(f"checkpoint config does not describe a model: {exc}") from None
    weights_path = verify_file(folder, meta, GENERATOR_FILE)
    tensors = read_tensors(weights_path)
    try:
        generator.load_state_dict(tensors, strict=True)
    except RuntimeError as exc:
        first = str(exc).strip().splitlines()
        raise CheckpointError(f"checkpoint weights do not match its config: {' '.join(first[:2])}") from None
    device = resolve_device(device)
    generator.to(device).eval().requires_grad_(False)
    return LoadedModel(generator=generator, config=cfg, meta=meta, sha256=meta["files"][GENERATOR_FILE],
                       path=folder, device=device)

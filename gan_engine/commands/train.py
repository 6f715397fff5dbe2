"""`train`: train the layered conditional GAN from a TOML config plus --key=value overrides.

    python -m gan_engine train --config gan_engine/configs/demo64.toml --run-dir runs/demo64 --steps=2000

Re-running with the same --run-dir resumes from runs/demo64/checkpoint (give a larger --steps to
train further). Ctrl-C (or SIGTERM) saves a resumable checkpoint before exiting.
"""
from __future__ import annotations

import argparse
import signal
from dataclasses import fields
from pathlib import Path

from gan_engine.cli import CommandError


def register(subparsers: argparse._SubParsersAction) -> None:
    from gan_engine.config import TrainConfig

    parser = subparsers.add_parser("train", help="train a model (config TOML + --key=value overrides)",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, help="TOML file of TrainConfig fields (flat keys)")
    parser.add_argument("--run-dir", type=Path, required=True, help="folder for checkpoint/ and samples/")
    parser.add_argument("--no-resume", action="store_true", help="start over even if run-dir holds a checkpoint")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    group = parser.add_argument_group("TrainConfig overrides (see gan_engine/config.py)")
    defaults = TrainConfig()
    for f in fields(TrainConfig):
        names = [f"--{f.name}"] + ([f"--{f.name.replace('_', '-')}"] if "_" in f.name else [])
        group.add_argument(*names, dest=f"override_{f.name}", metavar="V",
                           help=f"default {getattr(defaults, f.name)!r}")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gan_engine.checkpoint import CheckpointError
    from gan_engine.config import load_train_config

    overrides = [f"{k[len('override_'):]}={v}" for k, v in vars(args).items()
                 if k.startswith("override_") and v is not None]
    try:
        cfg = load_train_config(args.config, overrides)
    except (FileNotFoundError, ValueError, TypeError) as exc:
        raise CommandError(str(exc)) from None
    if args.run_dir.exists() and not args.run_dir.is_dir():
        raise CommandError(f"--run-dir is a file, not a folder: {args.run_dir}")

    from tqdm import tqdm

    from gan_engine.training import train

    stop = {"requested": False}

    def request_stop(signum, frame) -> None:  # finish the step, save, then exit
        stop["requested"] = True

    previous = {s: signal.signal(s, request_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    bar = tqdm(total=cfg.steps, unit="step", disable=args.quiet, dynamic_ncols=True)

    def progress(report: dict) -> None:
        bar.n = report["step"]
        losses = report["losses"]
        bar.set_postfix(d=f"{losses.get('d', 0):.3f}", g=f"{losses.get('g', 0):.3f}",
                        img_s=f"{report['images_per_s']:.1f}", refresh=False)
        bar.refresh()
        if args.quiet:
            print(f"step {report['step']}/{report['total_steps']} d={losses.get('d', 0):.4f} "
                  f"g={losses.get('g', 0):.4f} {report['images_per_s']:.1f} img/s eta {report['eta_s']:.0f}s",
                  flush=True)

    try:
        result = train(cfg, args.run_dir, progress_fn=progress, should_stop=lambda: stop["requested"],
                       resume=not args.no_resume)
    except CheckpointError as exc:
        raise CommandError(str(exc)) from None
    except ImportError as exc:
        raise CommandError(f"the training data is unavailable: {exc}") from None
    finally:
        bar.close()
        for s, handler in previous.items():
            signal.signal(s, handler)
    state = "stopped early at" if result.stopped else "finished at"
    print(f"{state} step {result.step}; checkpoint {result.checkpoint} (sha256 {result.sha256[:12]})")
    return 0

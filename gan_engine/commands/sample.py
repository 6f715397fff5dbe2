"""`sample`: draw images from a checkpoint into a grid PNG, and optionally per-image PNGs / an npz.

    python -m gan_engine sample --checkpoint gan_engine/checkpoints/demo64 --n 16 --finding solid_nodule \
        --severity 0.6 --x 0.3 --y 0.45 --out grid.png --per-image-dir cases/ --npz cases.npz
    python -m gan_engine sample --checkpoint gan_engine/checkpoints/demo64 --n 16 --finding all --out grid.png

Per-image PNGs are 16-bit HU + 1024 masters; the grid is shown through a CT window (--window).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from gan_engine.cli import CommandError
from gan_engine.hu import HU_OFFSET


def add_checkpoint_arguments(parser: argparse.ArgumentParser) -> None:
    """Options shared by `sample` and `progress`."""
    parser.add_argument("--checkpoint", type=Path, required=True, help="checkpoint folder (or its config.json)")
    parser.add_argument("--seed", type=int, default=0, help="first seed (image i uses seed + i)")
    parser.add_argument("--x", type=float, default=0.3, help="lesion centre, fraction of the width")
    parser.add_argument("--y", type=float, default=0.45, help="lesion centre, fraction of the height")
    parser.add_argument("--size", type=int, help="expected image side in px; error if the checkpoint differs")
    parser.add_argument("--window", default="lung", help="display window of the PNG (lung, mediastinum, ...)")
    parser.add_argument("--scale", type=int, default=1, help="nearest-neighbour display zoom of the PNG")
    parser.add_argument("--device", default="cpu", help="cpu, cuda or auto (cuda if available)")
    parser.add_argument("--placement", choices=("lung", "exact"), default="lung",
                        help="lung: move a nodule that would fall outside the patient's lung to where it fits "
                             "(the positions used are written to --per-image-dir / --npz); exact: as given")


def open_checkpoint(args: argparse.Namespace):
    """load_checkpoint with user errors turned into CommandError; checks --size and --window."""
    from gan_engine.checkpoint import CheckpointError, load_checkpoint
    from gan_engine.data.intensity import WINDOW_PRESETS

    if args.window not in WINDOW_PRESETS:
        raise CommandError(f"unknown --window {args.window!r}; expected one of {', '.join(WINDOW_PRESETS)}")
    if args.scale < 1:
        raise CommandError("--scale must be at least 1")
    try:
        model = load_checkpoint(args.checkpoint, device=args.device)
    except CheckpointError as exc:
        raise CommandError(str(exc)) from None
    if args.size is not None and args.size != model.size:
        raise CommandError(f"the checkpoint generates {model.size} px images, not {args.size} px")
    return model


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sample", help="generate images from a checkpoint",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_checkpoint_arguments(parser)
    parser.add_argument("--n", type=int, default=16, help="number of images")
    parser.add_argument("--finding", default="solid_nodule", help="finding name, or 'all' to cycle through them")
    parser.add_argument("--severity", default="0.5",
                        help="0..1 (4..30 mm diameter), or a comma list: findings cycle fastest, then severities")
    parser.add_argument("--truncation", type=float, default=1.0, help="latent scale psi in (0, 1]")
    parser.add_argument("--cols", type=int, default=0, help="grid columns (default: about sqrt(n))")
    parser.add_argument("--out", type=Path, required=True, help="grid PNG to write")
    parser.add_argument("--per-image-dir", type=Path, help="also write one 16-bit PNG (HU + 1024) per image")
    parser.add_argument("--npz", type=Path, help="also write images (HU), masks, conditions and seeds")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gan_engine.conditions import FINDING_CLASSES, Condition

    if args.n < 1:
        raise CommandError(f"--n must be at least 1, got {args.n}")
    findings = list(FINDING_CLASSES) if args.finding == "all" else [args.finding]
    try:
        severities = [float(v) for v in str(args.severity).split(",") if v.strip()]
        conditions = [Condition(findings[i % len(findings)], severities[(i // len(findings)) % len(severities)],
                                args.x, args.y) for i in range(args.n)]
    except (ValueError, IndexError) as exc:
        raise CommandError(str(exc)) from None
    if not 0 < args.truncation <= 1:
        raise CommandError("--truncation must lie in (0, 1]")
    if args.out.suffix.lower() != ".png":
        raise CommandError(f"--out must be a .png file, got {args.out}")
    model = open_checkpoint(args)

    import numpy as np
    from PIL import Image
    from tqdm import tqdm

    from gan_engine.sample import generate, save_image_grid

    parts = []
    chunk = 64
    for lo in tqdm(range(0, args.n, chunk), unit="batch", disable=args.n <= chunk):
        m = min(chunk, args.n - lo)
        parts.append(generate(model, m, conditions[lo:lo + m], args.seed + lo, truncation=args.truncation,
                              placement=args.placement))
    conditions = [c for p in parts for c in p.conditions]  # as drawn (placement may have moved nodules)
    images = np.concatenate([p.images.numpy() for p in parts])
    import torch

    images_t = torch.from_numpy(images)
    cols = args.cols or max(1, int(round(args.n ** 0.5)))
    save_image_grid(images_t, args.out, cols=cols, window=args.window, scale=args.scale)
    hu = np.concatenate([p.to_hu().numpy() for p in parts])[:, 0]
    seeds = [s for p in parts for s in p.seeds]
    if args.per_image_dir:
        args.per_image_dir.mkdir(parents=True, exist_ok=True)
        for i, (image, seed) in enumerate(zip(hu, seeds)):
            Image.fromarray(np.round(image + HU_OFFSET).clip(0, 65535).astype(np.uint16)).save(
                args.per_image_dir / f"{i:04d}_seed{seed}.png")
        meta = {"checkpoint_sha256": model.sha256, "png_encoding": f"uint16 = HU + {HU_OFFSET}",
                "images": [{"file": f"{i:04d}_seed{s}.png", "seed": s, **c.to_dict()}
                           for i, (s, c) in enumerate(zip(seeds, conditions))]}
        (args.per_image_dir / "conditions.json").write_text(json.dumps(meta, indent=1) + "\n")
    if args.npz:
        args.npz.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(args.npz, hu=hu.astype(np.float32),
                            lesion_mask=np.concatenate([p.lesion_masks.numpy() for p in parts])[:, 0],
                            seeds=np.array(seeds), conditions=json.dumps([c.to_dict() for c in conditions]),
                            checkpoint_sha256=model.sha256)
    print(f"wrote {args.out} ({args.n} images, checkpoint {model.sha256[:12]})")
    return 0

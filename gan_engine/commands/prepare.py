"""`prepare`: materialise the example training set (real CT slices with inserted nodules) to a folder.

    python -m gan_engine prepare --size 64 --n 256 --out runs/data64

Writes, per item, a 16-bit PNG of HU + 1024 (the project's CT master format) and one
`labels.npz` with the lesion and lung masks; `manifest.json` lists every item's condition.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from gan_engine.cli import CommandError
from gan_engine.hu import HU_OFFSET


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("prepare", help="write the example training set as PNG + npz + manifest",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=64, help="image side in px (64, 128 or 256)")
    parser.add_argument("--n", type=int, default=256, help="number of items")
    parser.add_argument("--seed", type=int, default=0, help="dataset seed (item i is a function of seed, i)")
    parser.add_argument("--out", type=Path, required=True, help="output folder (created; must be empty)")
    parser.add_argument("--no-augment", action="store_true", help="no rotation/shift/intensity jitter")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gan_engine.config import SUPPORTED_SIZES

    if args.size not in SUPPORTED_SIZES:
        raise CommandError(f"--size must be one of {', '.join(map(str, SUPPORTED_SIZES))} px, got {args.size}")
    if args.n < 1:
        raise CommandError(f"--n must be at least 1, got {args.n}")
    if args.out.exists() and (not args.out.is_dir() or any(args.out.iterdir())):
        raise CommandError(f"--out must be a new or empty folder: {args.out}")

    import numpy as np
    from PIL import Image
    from tqdm import tqdm

    from gan_engine.conditions import FINDING_CLASSES
    from gan_engine.data.intensity import DEFAULT_HU_RANGE, unit_to_hu

    try:
        from gan_engine.data.labelled import LabelledCTDataset

        dataset = LabelledCTDataset(args.size, seed=args.seed, augment=not args.no_augment, length=args.n)
    except (ImportError, FileNotFoundError) as exc:
        raise CommandError(f"the example CT is unavailable: {exc}") from None

    args.out.mkdir(parents=True, exist_ok=True)
    items, lesion_masks, lung_masks = [], [], []
    for i in tqdm(range(args.n), unit="img", disable=args.quiet):
        item = dataset[i]
        hu = unit_to_hu(item["image"][0].numpy(), DEFAULT_HU_RANGE)
        name = f"{i:05d}.png"
        Image.fromarray(np.round(hu + HU_OFFSET).clip(0, 65535).astype(np.uint16)).save(args.out / name)
        lesion_masks.append(item["lesion_mask"][0].numpy())
        lung_masks.append(item["lung_mask"][0].numpy())
        items.append({"file": name, "finding": FINDING_CLASSES[int(item["finding"])],
                      "severity": float(item["severity"]), "x": float(item["position"][0]),
                      "y": float(item["position"][1]), "pixel_spacing_mm": float(item["pixel_spacing_mm"])})
    np.savez_compressed(args.out / "labels.npz", lesion_mask=np.stack(lesion_masks).astype(np.float16),
                        lung_mask=np.stack(lung_masks).astype(np.float16))
    manifest = {"size": args.size, "seed": args.seed, "augment": not args.no_augment,
                "png_encoding": f"uint16 = HU + {HU_OFFSET}", "hu_range": list(DEFAULT_HU_RANGE), "items": items}
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {args.n} images, labels.npz and manifest.json to {args.out}")
    return 0

"""`evaluate`: compare synthetic images with real ones; print every metric with its 95% CI.

    python -m gan_engine evaluate --checkpoint gan_engine/checkpoints/demo64 --n 500 --json metrics.json
    python -m gan_engine evaluate --fake cases.npz --real real_pngs/ --metrics fid,kid,turing_test
    python -m gan_engine evaluate --fake cases.npz --inception-weights pt_inception.pth

Synthetic set: --checkpoint generates --n images with the conditions (finding, severity, position)
of the real set's items, or --fake reads a PNG folder / .npz / .npy. Real set: --real, or by default
--n items of the example CT's training distribution (LabelledCTDataset: real slices with inserted
nodules). Memorisation is checked against --train, by default the example CT's real lung slices the
generator learnt from. Features are cached in --cache-dir, so repeated runs embed real images once.
"""
from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from gan_engine.cli import CommandError

DEFAULT_N = 500


def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/radturing/features (~/.cache/... when unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "radturing" / "features"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("evaluate", help="metrics of synthetic vs real images, with CIs",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--checkpoint", type=Path, help="checkpoint folder to generate from")
    source.add_argument("--fake", type=Path, help="synthetic images: PNG folder, .npz or .npy")
    parser.add_argument("--real", type=Path, help="real images (default: the example CT's training distribution)")
    parser.add_argument("--train", type=Path, help="training images for the memorisation check")
    parser.add_argument("--n", type=int, default=DEFAULT_N, help="images to generate / real items to draw")
    parser.add_argument("--seed", type=int, default=0, help="seed of generation, real items and bootstrap")
    parser.add_argument("--feature-space", default="default", help="'default' (random CNN) or 'inception:PATH'")
    parser.add_argument("--inception-weights", type=Path, help="FID Inception weights (.pth/.safetensors)")
    parser.add_argument("--metrics", help="comma-separated metric names (default: all)")
    parser.add_argument("--n-bootstrap", type=int, default=None, help="bootstrap replicates per CI")
    parser.add_argument("--cache-dir", type=Path, default=None, help="feature cache (default: ~/.cache/radturing)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write cached features")
    parser.add_argument("--json", type=Path, help="write all results (with per-image pairs) here")
    parser.add_argument("--device", default="cpu", help="device for generation: cpu, cuda or auto")
    parser.set_defaults(func=run)


def _read(path: Path, what: str):
    from gan_engine.metrics.image_sets import ImageSetError, load_image_set

    try:
        return load_image_set(path)
    except ImageSetError as exc:
        raise CommandError(f"{what}: {exc}") from None


def _example_ct(call, *args, **kwargs):
    from gan_engine.data.example_ct import ExampleCTMissing

    try:
        return call(*args, **kwargs)
    except ExampleCTMissing as exc:
        raise CommandError(f"the example CT is not available ({exc}); pass --real") from None
    except ValueError as exc:
        raise CommandError(str(exc)) from None


def _real_items(n: int, size: int, seed: int):
    """(images [n,1,H,W], conditions) of the example CT's training distribution."""
    import numpy as np

    from gan_engine.conditions import FINDING_CLASSES, Condition
    from gan_engine.data.labelled import LabelledCTDataset

    data = _example_ct(LabelledCTDataset, size, seed=seed, length=n)
    items = [data[i] for i in range(n)]
    images = np.stack([item["image"].numpy() for item in items]).astype(np.float32)
    conditions = []
    for item in items:
        finding = FINDING_CLASSES[int(item["finding"])]
        x, y = (float(v) for v in item["position"])
        conditions.append(Condition(finding, min(max(float(item["severity"]), 0.0), 1.0), x, y)
                          if finding != "normal" else Condition())
    return images, conditions


def _open_checkpoint(args: argparse.Namespace):
    from gan_engine.checkpoint import CheckpointError, load_checkpoint

    try:
        return load_checkpoint(args.checkpoint, device=args.device)
    except CheckpointError as exc:
        raise CommandError(str(exc)) from None


def _format_table(results: dict) -> str:
    """One row per result; the last column names the feature space (FIDs from two spaces differ)."""
    lines = [f"{'metric':<14} {'value':>10}  {'95% CI':<23} {'n_real':>6} {'n_fake':>6}  computed in"]
    for key, r in results.items():
        ci = f"[{r.ci_low:.4g}, {r.ci_high:.4g}]"
        space = r.feature_space_label or "pixels"
        lines.append(f"{key:<14} {r.value:>10.4g}  {ci:<23} {r.n_real:>6} {r.n_fake:>6}  {space}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from gan_engine.metrics import DEFAULT_BOOTSTRAP, evaluate, results_to_json
    from gan_engine.metrics.inception import WeightsError

    if args.n < 2:
        raise CommandError(f"--n must be at least 2, got {args.n}")
    feature_space = args.feature_space
    if args.inception_weights is not None:
        feature_space = f"inception:{args.inception_weights}"
    metrics = [m.strip() for m in args.metrics.split(",") if m.strip()] if args.metrics else None
    n_bootstrap = DEFAULT_BOOTSTRAP if args.n_bootstrap is None else args.n_bootstrap
    if n_bootstrap < 0:
        raise CommandError("--n-bootstrap must be >= 0")

    provenance: dict = {}
    fake = _read(args.fake, "--fake") if args.fake else None
    real = _read(args.real, "--real") if args.real else None
    if args.checkpoint is not None:
        from gan_engine.conditions import Condition
        from gan_engine.sample import generate

        model = _open_checkpoint(args)
        if real is None:
            real, conditions = _real_items(args.n, model.size, args.seed)
        else:
            conditions = [Condition()] * args.n
        fake = generate(model, len(conditions), conditions, args.seed).images.numpy()
        provenance["checkpoint_sha256"] = model.sha256
    elif real is None:
        if fake.ndim != 4:
            raise CommandError("--fake holds feature vectors: pass --real features too")
        real, _ = _real_items(args.n, fake.shape[-1], args.seed)
    if args.train is not None:
        train = _read(args.train, "--train")
    elif args.real is None and fake.ndim == 4:
        from gan_engine.data.labelled import example_slices
        train = _example_ct(example_slices, fake.shape[-1])
    else:
        train = None

    cache_dir = None if args.no_cache else (args.cache_dir or default_cache_dir())
    try:
        results = evaluate(real, fake, feature_space=feature_space, metrics=metrics, n_bootstrap=n_bootstrap,
                           seed=args.seed, cache_dir=cache_dir, train_images=train)
    except WeightsError as exc:
        raise CommandError(str(exc)) from None
    except ValueError as exc:
        raise CommandError(str(exc)) from None

    print(_format_table(results))
    print("turing_auc 0.5 = indistinguishable; memorisation = fraction of near-copies of training images")
    if args.json:
        payload = {"feature_space": str(feature_space), "n_bootstrap": n_bootstrap, "seed": args.seed,
                   **provenance, "results": results_to_json(results)}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=1, allow_nan=False) + "\n")
        print(f"wrote {args.json}")
    return 0

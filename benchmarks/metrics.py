"""Time the metric implementations against the textbook references, in the same run.

    nice .venv/bin/python benchmarks/metrics.py                      # 10,000 x 2048-d, 2,000 images
    nice .venv/bin/python benchmarks/metrics.py --n 2000 --dim 512   # a quick look
    nice .venv/bin/python benchmarks/metrics.py --write-docs         # also update docs/benchmarks.md

Feature vectors: two Gaussian sets (real ~ N(0, C), fake ~ N(0.1, 1.1^2 C) with a random
covariance C), float64. Timed: FID (ours: thin-QR + nuclear norm; reference: scipy sqrtm), KID
(ours vs per-subset float64 kernel matrices, same subsets), precision/recall/density/coverage
(ours: blocked k-NN; reference: full scipy cdist), and embedding of images (random CNN, and the
Inception network with random weights on fewer images, extrapolated per image — no reference
exists offline: torchvision is not installable). Each row also reports |ours - reference|.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gan_engine.metrics.density_coverage import density_coverage  # noqa: E402
from gan_engine.metrics.features import embed_images  # noqa: E402
from gan_engine.metrics.fid import frechet_distance  # noqa: E402
from gan_engine.metrics.inception import InceptionV3Pool3  # noqa: E402
from gan_engine.metrics.kid import kernel_inception_distance, subset_indices  # noqa: E402
from gan_engine.metrics.precision_recall import precision_recall  # noqa: E402
from gan_engine.metrics.random_cnn import RandomCNNFeatures  # noqa: E402
from gan_engine.metrics.reference import fid_reference, kid_reference, prdc_reference  # noqa: E402

from benchmarks.report import replace_section  # noqa: E402

DOCS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
START, END = "<!-- metrics:start -->", "<!-- metrics:end -->"


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def feature_sets(n: int, dim: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    mix = rng.normal(size=(dim, dim)) / np.sqrt(dim)
    real = rng.normal(size=(n, dim)) @ mix
    fake = (rng.normal(size=(n, dim)) * 1.1 + 0.1) @ mix
    return real, fake


class InceptionRandom:
    id, weights_sha256, dim = "bench-inception", "random", 2048

    def __init__(self) -> None:
        self.network = InceptionV3Pool3()

    @torch.no_grad()
    def embed(self, images: torch.Tensor) -> torch.Tensor:
        return self.network(images)


def run(args: argparse.Namespace) -> list[tuple[str, str, str, str, str]]:
    rows = []
    real, fake = feature_sets(args.n, args.dim)
    size = f"{args.n:,} x {args.dim}"

    ours, t_ours = timed(frechet_distance, real, fake)
    ref, t_ref = timed(fid_reference, real, fake)
    rows.append((f"FID, {size}", f"{t_ours:.1f}", f"{t_ref:.1f}", f"{abs(ours - ref):.1e}", f"{ours:.4f}"))
    print(rows[-1], flush=True)

    subsets = subset_indices(args.n, args.n, args.kid_subsets, 1000, np.random.default_rng(1))
    (ours, _), t_ours = timed(kernel_inception_distance, real, fake, n_subsets=args.kid_subsets,
                              subset_size=1000, rng=np.random.default_rng(1))
    ref, t_ref = timed(kid_reference, real, fake, subsets)
    rows.append((f"KID, {size}, {len(subsets)} subsets of 1000", f"{t_ours:.1f}", f"{t_ref:.1f}",
                 f"{abs(ours - ref):.1e}", f"{ours:.5f}"))
    print(rows[-1], flush=True)
    (_, replicates), t_boot = timed(kernel_inception_distance, real, fake, n_subsets=args.kid_subsets,
                                    subset_size=1000, n_bootstrap=100, rng=np.random.default_rng(1))
    rows.append((f"KID + 100 bootstrap replicates, {size}", f"{t_boot:.1f}", "-", "-", "-"))
    print(rows[-1], flush=True)

    def prdc_ours(real, fake):
        p, r = precision_recall(real, fake)
        d, c = density_coverage(real, fake)
        return {"precision": p, "recall": r, "density": d, "coverage": c}

    ours, t_ours = timed(prdc_ours, real, fake)
    rows.append((f"P/R/D/C, {size}", f"{t_ours:.1f}", "-", "-", ", ".join(f"{v:.3f}" for v in ours.values())))
    print(rows[-1], flush=True)
    # scipy's cdist is a plain C loop (no BLAS): the reference runs on a smaller set.
    m = min(args.n, args.reference_prdc_n)
    ours, t_ours = timed(prdc_ours, real[:m], fake[:m])
    ref, t_ref = timed(prdc_reference, real[:m], fake[:m])
    diff = max(abs(ours[k] - ref[k]) for k in ours)
    rows.append((f"P/R/D/C, {m:,} x {args.dim}", f"{t_ours:.1f}", f"{t_ref:.1f}", f"{diff:.1e}",
                 ", ".join(f"{v:.3f}" for v in ours.values())))
    print(rows[-1], flush=True)

    images = np.random.default_rng(2).uniform(-1, 1, size=(args.images, 1, 64, 64)).astype(np.float32)
    _, t = timed(embed_images, images, RandomCNNFeatures())
    rows.append((f"embed {args.images:,} 64-px images, random CNN", f"{t:.1f}", "-", "-", "736-d"))
    print(rows[-1], flush=True)
    n_inc = args.inception_images
    _, t = timed(embed_images, images[:n_inc], InceptionRandom())
    rows.append((f"embed {args.images:,} images, InceptionV3 at 299 px (timed on {n_inc}, scaled)",
                 f"{t * args.images / n_inc:.0f}", "-", "-", "2048-d"))
    print(rows[-1], flush=True)
    return rows


def to_markdown(rows, args: argparse.Namespace) -> str:
    lines = [START, "## Metrics (`gan_engine/metrics`)", "",
             f"Command: `nice .venv/bin/python benchmarks/metrics.py --n {args.n} --dim {args.dim} "
             f"--kid-subsets {args.kid_subsets} --write-docs`. Machine: {platform.machine()}, "
             f"{args.threads} thread(s) of {os.cpu_count()} CPU cores (shared with other jobs: load average "
             f"{os.getloadavg()[0]:.1f} at the end), torch {torch.__version__}, CPU only. "
             "Times in seconds (wall clock, one run each).", "",
             "| what | ours (s) | reference (s) | abs. difference | value |", "|---|---|---|---|---|"]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    lines += ["", "References: FID with `scipy.linalg.sqrtm(S_r S_f)`; KID as per-subset float64 kernel "
              "matrices on the same subsets; P/R/D/C from full `scipy.spatial.distance.cdist` matrices "
              "(see `gan_engine/metrics/reference.py`). There is no offline reference for the embeddings.",
              END]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="feature vectors per set")
    parser.add_argument("--dim", type=int, default=2048, help="feature dimension")
    parser.add_argument("--kid-subsets", type=int, default=100, help="KID subsets of 1000")
    parser.add_argument("--images", type=int, default=2000, help="images to embed")
    parser.add_argument("--inception-images", type=int, default=16, help="images actually run through Inception")
    parser.add_argument("--reference-prdc-n", type=int, default=2000,
                        help="vectors per set for the (slow, unblocked) cdist P/R/D/C reference")
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS and torch threads (1: stable timings on a shared machine)")
    parser.add_argument("--write-docs", action="store_true", help=f"update the metrics section of {DOCS}")
    args = parser.parse_args()
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(args.threads)
    with threadpool_limits(limits=args.threads):
        rows = run(args)
    markdown = to_markdown(rows, args)
    print(markdown)
    if args.write_docs:
        replace_section(DOCS, START, END, markdown)


if __name__ == "__main__":
    main()

"""Time the reader-study statistics at the size the platform must handle: 50 readers × 2,000 images.

    nice .venv/bin/python benchmarks/analysis_speed.py                # prints the table
    nice .venv/bin/python benchmarks/analysis_speed.py --write-docs   # also update docs/benchmarks.md

One Roe & Metz (1997) HL study (AUC 0.702 per generator), ratings on a 5-point confidence scale
(cut points −1, −0.3, 0.3, 1 on the latent scale, so many ties, as in real studies):
- single modality: 1,000 real + 1,000 synthetic images, every reader reads all (100,000 ratings);
- two generators sharing the real images: 1,000 real + 500 + 500 synthetic, each image read once
  (100,000 ratings).
Each analysis runs `--repeats` times; the table gives the median and the slowest wall-clock time.
Goal: the whole analysis well under 5 s.
"""
from __future__ import annotations

import argparse
import platform
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]

from benchmarks.report import publish, timed, timing_table  # noqa: E402
from studies.stats.mrmc import analyse_single_modality, compare_generators  # noqa: E402
from studies.stats.roe_metz import ROE_METZ_1997, paired_studies, shared_real_studies  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- stats-speed:start -->", "<!-- stats-speed:end -->"
CUTS = (-1.0, -0.3, 0.3, 1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--write-docs", action="store_true", help=f"update the stats-speed section of {DOCS}")
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    half = args.images // 2
    paired, truth = paired_studies(rng, ROE_METZ_1997["HL"], 1, args.readers, half, half, separation=(0.75, 0.75))
    single = np.digitize(paired[0, 0], CUTS) + 1.0
    shared, shared_truth, generator = shared_real_studies(rng, ROE_METZ_1997["HL"], 1, args.readers, half, half // 2,
                                                          separation=(0.75, 0.75))
    shared = np.digitize(shared[0], CUTS) + 1.0
    rows = []
    for method in ("jackknife", "delong"):
        rows.append((f"single modality, {method}",
                     *timed(lambda: analyse_single_modality(single, truth, covariance=method), args.repeats)))
        rows.append((f"two generators sharing the real images, {method}",
                     *timed(lambda: compare_generators(shared, shared_truth, generator, covariance=method),
                            args.repeats)))
    total = sum(median for _, median, _ in rows)
    lines = [START, "## Reader-study statistics: speed (`studies/stats/`)", "",
             f"Command: `nice .venv/bin/python benchmarks/analysis_speed.py --write-docs`. Machine: "
             f"{platform.machine()}, 2 shared CPU cores, Python {platform.python_version()}, numpy {np.__version__}. "
             f"{args.readers} readers × {args.images:,} images ({args.readers * args.images:,} ratings, 5-point "
             f"scale) per analysis; wall clock over {args.repeats} runs.", "",
             *timing_table("analysis", rows)]
    lines += ["", f"All four analyses together: {total:.2f} s (goal: well under 5 s).", END]
    publish("\n".join(lines), DOCS, START, END, args.write_docs)


if __name__ == "__main__":
    main()

"""Time the whole reader-study report, `studies.analysis.analyse`, at the size the platform must
handle: 50 readers × 2,000 images, fully crossed, single-image design.

    nice .venv/bin/python benchmarks/analysis_full.py                # prints the table
    nice .venv/bin/python benchmarks/analysis_full.py --write-docs   # also update docs/benchmarks.md

The table is `studies.analysis.simulation.simulated_study`: one Roe & Metz (1997) HL study, two
generators (500 synthetic images each, Δ = 0 and 0.75) sharing 1,000 real images, a 6-point
confidence scale, 10% of the "synthetic" calls with a tell and a click, 200 timed-out reads
(100,000 ratings). Each run is the full `analyse` (every section, JSON-ready), `--repeats` times,
for both covariance methods; the table gives the median and the slowest wall-clock time.
Goal: well under 5 s.
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
from studies.analysis.analyse import analyse  # noqa: E402
from studies.analysis.simulation import simulated_study  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- analysis-full:start -->", "<!-- analysis-full:end -->"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--write-docs", action="store_true", help=f"update the analysis-full section of {DOCS}")
    args = parser.parse_args()
    half = args.images // 2
    table = simulated_study(7, readers=args.readers, real=half, per_source=half // 2, sources=("GAN-A", "GAN-B"),
                            separation=(0.0, 0.75), timed_out=200)
    rows = [(method, *timed(lambda: analyse(table, covariance=method), args.repeats))
            for method in ("jackknife", "delong")]
    lines = [START, "## Reader-study report: speed (`studies/analysis/analyse.py`)", "",
             f"Command: `nice .venv/bin/python benchmarks/analysis_full.py --write-docs`. Machine: "
             f"{platform.machine()}, 2 shared CPU cores, Python {platform.python_version()}, numpy {np.__version__}. "
             f"The full `analyse` (every section, JSON-ready) on {args.readers} readers × {args.images:,} images "
             f"({len(table):,} ratings, fully crossed, two generators sharing {half:,} real images, 6-point scale); "
             f"wall clock over {args.repeats} runs.", "",
             *timing_table("covariance", rows)]
    lines += ["", "Goal: well under 5 s.", END]
    publish("\n".join(lines), DOCS, START, END, args.write_docs)


if __name__ == "__main__":
    main()

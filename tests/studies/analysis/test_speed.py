"""The size the platform must handle: 50 readers × 2,000 images (100,000 ratings, two generators
sharing 1,000 real images) analysed well under 5 s (docs/benchmarks.md has the measured time)."""
from __future__ import annotations

import time

from studies.analysis.analyse import analyse
from studies.analysis.simulation import simulated_study


def test_the_full_analysis_of_fifty_readers_and_two_thousand_images_is_quick():
    table = simulated_study(0, readers=50, real=1000, per_source=500, sources=("GAN-A", "GAN-B"),
                            separation=(0.0, 0.75))
    start = time.perf_counter()
    report = analyse(table)
    assert time.perf_counter() - start < 5.0
    assert report["counts"]["reads"] == 100_000 and len(report["mrmc"]["comparisons"]) == 1

"""docs/benchmarks.md holds one section per benchmark script, between its own start and end markers."""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path


def replace_section(path: Path, start: str, end: str, block: str) -> None:
    """Put `block` (which begins with `start` and ends with `end`) in place of the file's current
    section between those markers, or append it; creates the file with a title if it is missing."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)


def timed(function: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(median, slowest) wall-clock seconds of `repeats` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def timing_table(first_column: str, rows: list[tuple[str, float, float]]) -> list[str]:
    """A Markdown table of (name, median s, slowest s) rows."""
    return ([f"| {first_column} | median (s) | slowest (s) |", "|---|---|---|"]
            + [f"| {name} | {median:.3f} | {slowest:.3f} |" for name, median, slowest in rows])


def publish(markdown: str, path: Path, start: str, end: str, write: bool) -> None:
    """Print the section, and put it into `path` between its markers when asked to."""
    print(markdown)
    if write:
        replace_section(path, start, end, markdown)

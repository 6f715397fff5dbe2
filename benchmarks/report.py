"""docs/benchmarks.md holds one section per benchmark script, between its own start and end markers."""
from __future__ import annotations

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

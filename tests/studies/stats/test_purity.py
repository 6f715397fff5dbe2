"""studies/stats/ is pure (docs/architecture.md): numpy, scipy and the standard library only."""
from __future__ import annotations

import ast
from pathlib import Path

STATS = Path(__file__).resolve().parents[3] / "platform" / "studies" / "stats"
ALLOWED = {"__future__", "dataclasses", "math", "numpy", "scipy", "studies"}


def test_it_imports_only_numpy_scipy_and_itself():
    offenders = []
    for path in STATS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            offenders += [f"{path.name}: {name}" for name in names if name.split(".")[0] not in ALLOWED
                          or (name.startswith("studies") and not name.startswith("studies.stats"))]
    assert offenders == []

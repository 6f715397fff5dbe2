"""studies/analysis/ is pure (docs/architecture.md): numpy, scipy, the standard library and
studies.stats; never Django, never studies.models."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ANALYSIS = Path(__file__).resolve().parents[3] / "platform" / "studies" / "analysis"
ALLOWED = {"numpy", "scipy", "studies"} | set(sys.stdlib_module_names)
OWN = ("studies.stats", "studies.analysis")


def test_it_imports_only_numpy_scipy_the_standard_library_and_the_statistics():
    offenders = []
    for path in ANALYSIS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            offenders += [f"{path.name}: {name}" for name in names if name.split(".")[0] not in ALLOWED
                          or (name.startswith("studies") and not name.startswith(OWN))]
    assert offenders == []

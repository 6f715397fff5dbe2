"""The repository's shape: `platform/` never shadows the standard library, and gan_engine never
imports Django, Celery or the platform's apps."""
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN_IN_ENGINE = {"django", "celery", "rest_framework", "kombu", "radturing", "core", "accounts",
                       "imaging", "generation", "teaching", "studies"}


def test_it_keeps_platform_a_plain_folder():
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_it_imports_the_standard_library_platform_from_the_repo_root():
    out = subprocess.run([sys.executable, "-c", "import platform; print(platform.system(), platform.__file__)"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    system, path = out.split()
    assert system == "Linux"
    assert "/work/" not in path or "/lib/python" in path


def test_it_imports_the_standard_library_platform_under_pytest_and_django():
    import platform

    import django  # noqa: F401  (Django is set up in this process)

    assert callable(platform.system) and platform.system() == "Linux"


def test_it_finds_the_django_project_through_manage_py():
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _absolute_imports(folder: Path) -> list[tuple[str, str]]:
    """(file, module) for every absolute import in the Python files under `folder`."""
    found = []
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            found += [(str(path.relative_to(ROOT)), n) for n in names]
    return found


def test_it_never_imports_django_from_gan_engine_source():
    offenders = [f"{path}: {n}" for path, n in _absolute_imports(ROOT / "gan_engine")
                 if n.split(".")[0] in FORBIDDEN_IN_ENGINE]
    assert offenders == []


def test_it_imports_every_gan_engine_module_without_loading_django():
    code = (
        "import importlib, pkgutil, sys, gan_engine\n"
        "for m in pkgutil.walk_packages(gan_engine.__path__, 'gan_engine.'):\n"
        "    if m.name.endswith('__main__'): continue\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('django', 'celery'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_core_never_imports_the_project_package():
    """platform/core serves every app and the project: it reaches Celery through its current app."""
    offenders = [f"{path}: {n}" for path, n in _absolute_imports(ROOT / "platform" / "core")
                 if n.split(".")[0] == "radturing"]
    assert offenders == []


def test_core_imports_neither_the_project_package_nor_another_app():
    """docs/architecture.md: core is the floor every app stands on, so it stands on none of them."""
    import ast

    others = {"radturing", "accounts", "imaging", "generation", "studies", "teaching"}
    found = []
    for path in (ROOT / "platform" / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.name}: {n}" for n in names if n.split(".")[0] in others]
    assert found == []

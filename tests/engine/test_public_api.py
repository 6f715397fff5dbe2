"""The engine's public API (gan_engine/__init__.py): plain functions whatever was imported first,
and `import gan_engine` stays torch-free until one of them is used."""
import pkgutil
import subprocess
import sys
from pathlib import Path

import gan_engine

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_no_submodule_shares_its_name_with_an_exported_name():
    submodules = {m.name for m in pkgutil.iter_modules(gan_engine.__path__)}
    assert submodules.isdisjoint(gan_engine.__all__), submodules & set(gan_engine.__all__)


def test_the_public_functions_are_functions_even_after_their_modules_were_imported():
    out = _run("import gan_engine.training, gan_engine.lesion_progression, gan_engine.sample\n"
               "import inspect, gan_engine\n"
               "from gan_engine import train, progression, generate, evaluate, load_checkpoint\n"
               "fns = (train, progression, generate, evaluate, load_checkpoint, gan_engine.train)\n"
               "print(all(inspect.isfunction(f) for f in fns), train is gan_engine.training.train)")
    assert out == "True True"


def test_importing_the_package_does_not_import_torch():
    assert _run("import sys, gan_engine, gan_engine.conditions, gan_engine.placement\n"
                "print('torch' in sys.modules)") == "False"

"""The gan_engine command line.

Examples:
    python -m gan_engine prepare --size 64 --out runs/data64
    python -m gan_engine train --config gan_engine/configs/demo64.toml --run-dir runs/demo64 --steps=2000
    python -m gan_engine sample --checkpoint runs/demo64/checkpoint --n 16 --finding solid_nodule --out grid.png
    python -m gan_engine progress --checkpoint runs/demo64/checkpoint --schedule growth --steps 6 --out strip.png
    python -m gan_engine evaluate --checkpoint runs/demo64/checkpoint --n 500 --json metrics.json

Each sub-command lives in its own module under gan_engine/commands/ and exposes
`register(subparsers)`; that module adds its parser and sets `func` to a callable(args) -> int.
"""
from __future__ import annotations

import argparse
import importlib
import sys

# Sub-command modules, in the order --help lists them.
COMMAND_MODULES = ("prepare", "train", "sample", "progress", "evaluate")


class CommandError(Exception):
    """A user-facing error: printed as one clear line, exit status 2, no traceback."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m gan_engine", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"gan_engine.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"gan_engine.commands.{name}":
                raise
            continue  # not built yet
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130

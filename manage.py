#!/usr/bin/env python
"""Django's command-line utility for RadTuring.

The Django project and its apps live in platform/, a plain folder (never a package, so that
`import platform` keeps meaning the standard library); it is appended to sys.path here.
"""
import os
import sys
from pathlib import Path


def main() -> None:
    sys.path.insert(1, str(Path(__file__).resolve().parent / "platform"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "radturing.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

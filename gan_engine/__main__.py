"""`python -m gan_engine ...` runs the CLI (see gan_engine/cli.py for examples)."""
from gan_engine.cli import main

raise SystemExit(main())

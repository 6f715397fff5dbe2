"""Analyse a ratings file (docs/analysis.md layouts) and write the report as JSON.

    python manage.py analyse_ratings ratings.csv --json report.json
    python manage.py analyse_ratings vandyke.imrmc --layout imrmc --covariance delong --json report.json

A malformed file: one sentence on stderr, exit status 2, nothing written.
"""
import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from studies.analysis.csv_layouts import LAYOUTS
from studies.ratings_import import FileRefused, analyse_ratings_file
from studies.stats.auc_covariance import COVARIANCE_METHODS


class Command(BaseCommand):
    help = "Analyse a radturing CSV or an iMRMC file and write the JSON report."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--layout", choices=LAYOUTS, default="radturing")
        parser.add_argument("--covariance", choices=COVARIANCE_METHODS, default="jackknife")
        parser.add_argument("--json", dest="out", type=Path, required=True, help="Where to write the report.")

    def handle(self, *args, **options):
        if not options["file"].is_file():
            raise CommandError(f"{options['file']}: no such file.", returncode=2)
        try:
            report = analyse_ratings_file(options["file"], options["layout"], options["covariance"])
        except FileRefused as exc:
            raise CommandError(f"{options['file']}: {exc}", returncode=2) from None
        out = options["out"]
        partial = out.with_name(f".{out.name}.partial")
        partial.write_text(json.dumps(report, indent=1, allow_nan=False), encoding="utf-8")
        os.replace(partial, out)  # a reader of OUT never sees half a report
        self.stdout.write(f"Wrote the report of {report['counts']['readers']} readers and "
                          f"{report['counts']['reads']} reads to {out}.")

"""A study's ratings and report as files: the radturing CSV, the iMRMC input file, the JSON summary.

One function per file, called by the report page's links and the API alike; the layouts are the
analysis's own writers (studies/analysis/csv_layouts.py), so an export reads back into the table
it came from.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from studies.analysis.csv_layouts import LayoutError, write_imrmc, write_radturing
from studies.analysis_table import ratings_table
from studies.models import Study


class ExportRefused(Exception):
    """This study cannot be written in that layout; str() is the sentence to show."""


def _written(study: Study, writer, name: str) -> str:
    table = ratings_table(study)
    if not len(table):
        raise ExportRefused("No ratings yet: there is nothing to export.")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        try:
            writer(table, path)
        except LayoutError as exc:
            raise ExportRefused(str(exc)) from None
        return path.read_text(encoding="utf-8")


def ratings_csv(study: Study) -> str:
    """One row per rating in the radturing layout (docs/analysis.md)."""
    return _written(study, write_radturing, "ratings.csv")


def imrmc_text(study: Study) -> str:
    """The iMRMC input file: main, rated reads; refused for 2-AFC."""
    return _written(study, write_imrmc, "ratings.imrmc")


def filename(study: Study, suffix: str) -> str:
    return f"study-{study.public_id}-{suffix}"

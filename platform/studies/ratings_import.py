"""Analysing a ratings file from outside (a radturing CSV or an iMRMC input file): the management
command `analyse_ratings` and `POST /api/studies/analyse-file/` both call `analyse_ratings_file`, so
a malformed file gets the same sentence through either door."""
from __future__ import annotations

from studies.analysis.command import analyse_file
from studies.analysis.csv_layouts import LAYOUTS, LayoutError
from studies.analysis.table import TableError
from studies.stats.auc_covariance import COVARIANCE_METHODS


class FileRefused(Exception):
    """Not a ratings file that can be analysed; str() is the one sentence that says why."""


def analyse_ratings_file(path, layout: str = "radturing", covariance: str = "jackknife") -> dict:
    if layout not in LAYOUTS:
        raise FileRefused(f"The layout must be one of {', '.join(LAYOUTS)}, not {layout!r}.")
    if covariance not in COVARIANCE_METHODS:
        raise FileRefused(f"The covariance method must be one of {', '.join(COVARIANCE_METHODS)}.")
    try:
        return analyse_file(path, layout, covariance=covariance)
    except (LayoutError, TableError) as exc:
        raise FileRefused(str(exc)) from None
    except UnicodeDecodeError:
        raise FileRefused("The file is not UTF-8 text.") from None
    except ValueError as exc:  # the analysis's own refusals (e.g. no main reads)
        raise FileRefused(str(exc)) from None

"""A study's ratings as the analysis's `RatingsTable` (studies/analysis/table.py, docs/analysis.md).

Four queries, whatever the study's size: its sources, its pool, its readers, and every rated trial
with its rating (one join). Rows are assembled from `values()` dicts, so no rating costs a query.
Ratings by simulated readers are kept and flagged (`reader_simulated`): the report says so, and
leaving them out silently would make a demo's report disagree with its exports.
"""
from __future__ import annotations

from studies.analysis.table import RatingsTable
from studies.models import PoolImage, Study, StudyReader, StudySource, Trial

SYNTHETIC = "synthetic"


def reader_id(slot: int) -> str:
    """The reader's id in the table and the exports: the slot, never an account id."""
    return f"R{slot + 1}"


def ratings_table(study: Study) -> RatingsTable:
    """Every rating of `study`, one entry each, with every column docs/analysis.md defines."""
    labels = dict(StudySource.objects.filter(study=study).values_list("pk", "label"))
    pool = {p["pk"]: p for p in PoolImage.objects.filter(study=study).values(
        "pk", "reader_token", "truth", "finding", "source_id")}
    readers = {r["pk"]: r for r in StudyReader.objects.filter(study=study).values(
        "pk", "slot", "training_level", "years_experience", "simulated")}
    trials = Trial.objects.filter(reader__study=study, rating__isnull=False).order_by("reader_id", "position").values(
        "reader_id", "position", "session", "kind", "first_id", "second_id", "repeat_of__position",
        "rating__answer", "rating__confidence", "rating__timed_out", "rating__realism", "rating__tell_text",
        "rating__tell_x", "rating__tell_y", "rating__server_ms", "rating__client_ms")
    two_afc = study.design == "2afc"
    columns: dict[str, list] = {name: [] for name in _COLUMN_NAMES}
    for t in trials:
        reader, first = readers[t["reader_id"]], pool[t["first_id"]]
        second = pool[t["second_id"]] if t["second_id"] else None
        timed_out = t["rating__timed_out"]
        row = {
            "reader": reader_id(reader["slot"]), "reader_training_level": reader["training_level"],
            "reader_years": reader["years_experience"], "reader_simulated": reader["simulated"],
            "position": t["position"], "session": t["session"], "trial_kind": t["kind"],
            "image": first["reader_token"], "image_truth": int(first["truth"] == SYNTHETIC),
            "source": labels[first["source_id"]], "finding": first["finding"],
            "second_image": second["reader_token"] if second else "",
            "second_truth": int(second["truth"] == SYNTHETIC) if second else -1,
            "second_source": labels[second["source_id"]] if second else "",
            "confidence": None if timed_out else t["rating__confidence"],
            "answer": "" if timed_out else t["rating__answer"], "timed_out": timed_out,
            "realism": t["rating__realism"], "tell_text": t["rating__tell_text"],
            "tell_x": t["rating__tell_x"], "tell_y": t["rating__tell_y"],
            "server_ms": t["rating__server_ms"], "client_ms": t["rating__client_ms"],
            "repeat_of_position": t["repeat_of__position"] if t["kind"] == "repeat" else -1,
            "catch_expected": _catch_expected(first, second, two_afc) if t["kind"] == "catch" else "",
        }
        for name, value in row.items():
            columns[name].append(value)
    return RatingsTable.from_columns(
        columns, study_design=study.design, study_confidence_levels=study.confidence_levels,
        equivalence_margin=_margin(study), primary_endpoint=study.primary_endpoint,
        comparison="generators", title=study.title)


_COLUMN_NAMES = (
    "reader", "reader_training_level", "reader_years", "reader_simulated", "position", "session", "trial_kind",
    "image", "image_truth", "source", "finding", "second_image", "second_truth", "second_source", "confidence",
    "answer", "timed_out", "realism", "tell_text", "tell_x", "tell_y", "server_ms", "client_ms",
    "repeat_of_position", "catch_expected",
)


def _catch_expected(first: dict, second: dict | None, two_afc: bool) -> str:
    """What a catch image's truth requires: its truth (single), or the side of the real image (2-AFC)."""
    if not two_afc:
        return first["truth"]
    return "left" if first["truth"] != SYNTHETIC else "right"


def _margin(study: Study) -> float | None:
    """The pre-registered δ; the table (like TOST) needs it strictly inside (0, 0.5)."""
    margin = study.equivalence_margin
    return margin if margin is not None and 0 < margin < 0.5 else None

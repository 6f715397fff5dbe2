"""The ratings table as CSV, in two layouts (docs/analysis.md describes both).

- ``radturing``: one row per rating, the columns of `table.COLUMNS` then the study-level columns
  (`STUDY_COLUMNS`, the same on every row); a plain CSV with one header row and no comments. Floats
  are written with `repr` and a missing number as an empty cell, so a table round-trips exactly.
- ``imrmc``: the input file of the FDA/DIDSR iMRMC program (Gallas 2006; github.com/DIDSR/iMRMC):
  free-text header lines, a line ``BEGIN DATA:``, then rows ``readerID,caseID,modalityID,score``.
  A truth row has readerID ``-1`` (or ``truth``, as the iMRMC R package writes) and score 0
  (signal absent: real) or 1 (signal present: synthetic); its modalityID is ignored. Every case
  needs one truth row and at least one score. We also write the header lines ``NR:``, ``N0:``,
  ``N1:``, ``NM:`` (readers, real cases, synthetic cases, modalities) that RJafroc's reader needs,
  and ``RadTuring <fact>: <value>`` lines that carry the study-level facts back in. Only main,
  rated (not timed-out) reads are written: the layout has no other kind of read.

Our studies in iMRMC: modality = the synthetic source (generator), case = image; a real image is
written under every modality with its one score (the generators share the real images). Reading
an iMRMC file: if every case is read in every modality the modalities are reading conditions of a
classic paired study ("conditions"); if only real cases are read in more than one modality, each
with one score, the modalities are generators sharing the real images ("generators"); any other
file is taken as conditions read on partly shared cases. A ``RadTuring comparison:`` header line,
when present, decides instead (one generator cannot be told apart from one condition).
"""
from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from studies.analysis.table import COLUMNS, RatingsTable, TableError

LAYOUTS = ("radturing", "imrmc")
STUDY_COLUMNS = ("equivalence_margin", "primary_endpoint", "comparison", "study_title")
TRUTH_READERS = ("-1", "truth")
BEGIN = "BEGIN DATA:"


class LayoutError(ValueError):
    """A file that is not a valid table in its layout; str() names the line in one sentence."""


# ---------------------------------------------------------------- radturing

def write_radturing(table: RatingsTable, path) -> None:
    """One row per rating: COLUMNS, then STUDY_COLUMNS."""
    header = list(COLUMNS) + list(STUDY_COLUMNS)
    study = [_cell(table.equivalence_margin), table.primary_endpoint, table.comparison, table.title]
    columns = [_cells(name, kind, getattr(table, name)) for name, kind in COLUMNS.items()]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in zip(*columns):
            writer.writerow([*row, *study])


def read_radturing(path) -> RatingsTable:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        raise LayoutError("Line 1: the file is empty; a radturing CSV starts with its header row.")
    header = rows[0]
    missing = [c for c in (*COLUMNS, *STUDY_COLUMNS) if c not in header]
    if missing:
        raise LayoutError(f"Line 1: the header lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}.")
    index = {name: header.index(name) for name in (*COLUMNS, *STUDY_COLUMNS)}
    body = rows[1:]
    if not body:
        raise LayoutError("Line 2: the file has a header but no ratings.")
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise LayoutError(f"Line {number} has {len(row)} cells but the header has {len(header)}.")
    columns = {name: _parse_column(name, kind, [row[index[name]] for row in body]) for name, kind in COLUMNS.items()}
    study = {}
    for name in STUDY_COLUMNS:
        values = {row[index[name]] for row in body}
        if len(values) > 1:
            line = 2 + next(i for i, row in enumerate(body) if row[index[name]] != body[0][index[name]])
            raise LayoutError(f"Line {line}: {name} differs from the first row's; it is one value per study.")
        study[name] = values.pop()
    margin = study["equivalence_margin"]
    try:
        return RatingsTable(**columns, study_design=str(columns["design"][0]),
                            study_confidence_levels=int(columns["confidence_levels"][0]),
                            equivalence_margin=float(margin) if margin else None,
                            primary_endpoint=study["primary_endpoint"], comparison=study["comparison"],
                            title=study["study_title"])
    except (TableError, ValueError) as error:
        raise LayoutError(f"Line 2 onwards: {error}") from None


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return repr(float(value))


def _cells(name: str, kind: str, values) -> list[str]:
    if kind == "float":
        return [_cell(v) for v in values.tolist()]
    if kind == "bool":
        return ["true" if v else "false" for v in values.tolist()]
    return [str(v) for v in (values if kind == "text" else values.tolist())]


def _parse_column(name: str, kind: str, cells: list[str]) -> list:
    if kind in ("str", "text"):
        return cells
    out = []
    for line, cell in enumerate(cells, start=2):
        if kind == "bool":
            if cell not in ("true", "false"):
                raise LayoutError(f"Line {line}: {name} must be true or false, not {cell!r}.")
            out.append(cell == "true")
            continue
        if cell == "" and kind == "float":
            out.append(float("nan"))
            continue
        try:
            value = float(cell) if kind == "float" else int(cell)
        except ValueError:
            raise LayoutError(f"Line {line}: {name} must be {'a number' if kind == 'float' else 'a whole number'}, "
                              f"not {cell!r}.") from None
        out.append(value)
    return out


# ---------------------------------------------------------------- iMRMC

def write_imrmc(table: RatingsTable, path) -> None:
    """The iMRMC input file (module docstring). Refuses 2-AFC (no score per case)."""
    if table.study_design != "single":
        raise LayoutError("The iMRMC layout holds one score per reader and case; a 2-AFC trial has two images.")
    keep = (table.trial_kind == "main") & ~table.timed_out
    reads = table.subset(keep)
    order = np.lexsort((reads.position, reads.reader))
    for label, ids in (("reader", reads.reader), ("case", reads.image), ("modality", reads.source)):
        bad = [i for i in np.unique(ids).tolist() if "," in i or i != i.strip() or i == ""]
        if bad:
            raise LayoutError(f"The {label} id {bad[0]!r} cannot be written: iMRMC ids need text without commas "
                              "or surrounding spaces.")
    if np.isin(reads.reader, TRUTH_READERS).any():
        raise LayoutError("A reader id of -1 or 'truth' would read as a truth row in iMRMC.")
    generators = table.comparison == "generators"
    if generators:
        modalities = sorted(np.unique(reads.source[reads.image_truth == 1]).tolist())
        real_labels = np.unique(reads.source[reads.image_truth == 0]).tolist()
    else:
        modalities = sorted(np.unique(reads.source).tolist())
        real_labels = []
    cases, first = np.unique(reads.image, return_index=True)
    truth = reads.image_truth[first]
    lines = [f"RadTuring reader study: {table.title or 'untitled'}",
             "One score per reader, case and modality; truth rows have readerID -1 (0 = real, 1 = synthetic).",
             f"RadTuring comparison: {table.comparison}",
             f"RadTuring confidence levels: {table.study_confidence_levels}"]
    if table.equivalence_margin is not None:
        lines.append(f"RadTuring equivalence margin: {table.equivalence_margin!r}")
    if table.primary_endpoint:
        lines.append(f"RadTuring primary endpoint: {table.primary_endpoint}")
    if len(real_labels) == 1:
        lines.append(f"RadTuring real source: {real_labels[0]}")
    lines += ["", f"NR: {len(np.unique(reads.reader))}", f"N0: {int((truth == 0).sum())}",
              f"N1: {int((truth == 1).sum())}", f"NM: {len(modalities)}", "", BEGIN]
    lines += [f"-1,{case},0,{int(t)}" for case, t in zip(cases.tolist(), truth.tolist())]
    for i in order.tolist():
        score = _score(reads.confidence[i])
        under = modalities if generators and reads.image_truth[i] == 0 else [reads.source[i]]
        lines += [f"{reads.reader[i]},{reads.image[i]},{m},{score}" for m in under]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _score(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def read_imrmc(path) -> RatingsTable:
    """A table from an iMRMC input file: design "single", comparison as detected (module docstring)."""
    text = Path(path).read_text(encoding="utf-8")
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() == BEGIN]
    if not starts:
        raise LayoutError(f"Line {len(lines) + 1}: the file has no '{BEGIN}' line before its data.")
    facts, counts = _header_facts(lines[:starts[0]])
    truth: dict[str, tuple[int, int]] = {}  # case -> (truth, line)
    observations: dict[tuple[str, str, str], tuple[float, int]] = {}  # (reader, case, modality) -> (score, line)
    for number in range(starts[0] + 2, len(lines) + 1):
        line = lines[number - 1]
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 4:
            raise LayoutError(f"Line {number} has {len(parts)} fields; "
                              "iMRMC rows are readerID,caseID,modalityID,score.")
        reader, case, modality, cell = parts
        if not reader or not case or not modality or not cell:
            raise LayoutError(f"Line {number} has an empty field; iMRMC rows are readerID,caseID,modalityID,score.")
        try:
            score = float(cell)
        except ValueError:
            raise LayoutError(f"Line {number}: the score {cell!r} is not a number.") from None
        if not math.isfinite(score):
            raise LayoutError(f"Line {number}: the score {cell!r} is not a finite number.")
        if reader.lower() in TRUTH_READERS:
            if score not in (0.0, 1.0):
                raise LayoutError(f"Line {number}: a truth row's score must be 0 or 1, not {cell!r}.")
            if case in truth and truth[case][0] != score:
                raise LayoutError(f"Line {number} gives case {case!r} a truth that line {truth[case][1]} contradicts.")
            truth.setdefault(case, (int(score), number))
            continue
        key = (reader, case, modality)
        if key in observations:
            raise LayoutError(f"Line {number} repeats reader {reader!r}, case {case!r}, modality {modality!r} "
                              f"(first on line {observations[key][1]}).")
        observations[key] = (score, number)
    if not observations:
        raise LayoutError(f"Line {starts[0] + 1}: no reader scores follow '{BEGIN}'.")
    for (reader, case, _), (_, number) in observations.items():
        if case not in truth:
            raise LayoutError(f"Line {number}: case {case!r} has no truth row (readerID -1).")
    read_cases = {case for _, case, _ in observations}
    for case, (_, number) in truth.items():
        if case not in read_cases:
            raise LayoutError(f"Line {number}: case {case!r} has a truth row but no reader scored it.")
    _check_counts(counts, observations, truth)
    comparison = facts.get("comparison") or _detect(observations, truth)
    if comparison not in ("generators", "conditions"):
        raise LayoutError(f"Line {facts['comparison_line']}: the comparison must be generators or conditions.")
    return _table_from_observations(observations, truth, comparison, facts)


def _header_facts(header: list[str]) -> tuple[dict, dict]:
    facts, counts = {}, {}
    names = {"comparison": "comparison", "confidence levels": "levels", "equivalence margin": "margin",
             "primary endpoint": "endpoint", "real source": "real", "reader study": "title"}
    for number, line in enumerate(header, start=1):
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key in ("NR", "N0", "N1", "NM"):
            try:
                counts[key] = (int(value), number)
            except ValueError:
                raise LayoutError(f"Line {number}: {key} must be a whole number, not {value!r}.") from None
        elif key.startswith("RadTuring ") and key[len("RadTuring "):] in names:
            name = names[key[len("RadTuring "):]]
            facts[name], facts[name + "_line"] = value, number
    for name, convert in (("levels", int), ("margin", float)):
        if name in facts:
            try:
                facts[name] = convert(facts[name])
            except ValueError:
                raise LayoutError(f"Line {facts[name + '_line']}: {facts[name]!r} is not a number.") from None
    return facts, counts


def _check_counts(counts: dict, observations: dict, truth: dict) -> None:
    actual = {"NR": len({r for r, _, _ in observations}), "NM": len({m for _, _, m in observations}),
              "N0": sum(1 for t, _ in truth.values() if t == 0), "N1": sum(1 for t, _ in truth.values() if t == 1)}
    what = {"NR": "readers", "NM": "modalities", "N0": "signal-absent (real) cases", "N1": "signal-present cases"}
    for key, (value, number) in counts.items():
        if value != actual[key]:
            raise LayoutError(f"Line {number}: {key} says {value} {what[key]} but the data has {actual[key]}.")


def _detect(observations: dict, truth: dict) -> str:
    modalities = {m for _, _, m in observations}
    by_case: dict[str, set] = {}
    scores: dict[tuple[str, str], set] = {}
    for (reader, case, modality), (score, _) in observations.items():
        by_case.setdefault(case, set()).add(modality)
        scores.setdefault((reader, case), set()).add(score)
    if all(seen == modalities for seen in by_case.values()):
        return "conditions"  # fully paired: every case in every modality
    shared = [case for case, seen in by_case.items() if len(seen) > 1]
    if all(truth[case][0] == 0 for case in shared) and all(len(s) == 1 for s in scores.values()):
        return "generators"
    return "conditions"


def _table_from_observations(observations: dict, truth: dict, comparison: str, facts: dict) -> RatingsTable:
    real_label = facts.get("real", "real")
    rows: list[tuple[str, str, str, float]] = []  # reader, case, source, score in file order
    seen = set()
    for (reader, case, modality), (score, number) in sorted(observations.items(), key=lambda kv: kv[1][1]):
        if comparison == "generators":
            if truth[case][0] == 0:
                if (reader, case) in seen:
                    continue
                seen.add((reader, case))
                modality = real_label
            elif (reader, case) in seen:
                raise LayoutError(f"Line {number}: synthetic case {case!r} is read in two modalities, so the "
                                  "modalities are not generators.")
            else:
                seen.add((reader, case))
        rows.append((reader, case, modality, score))
    if comparison == "generators":
        _check_one_score_per_real_read(observations, truth)
    levels = facts.get("levels", 0)
    readers = [r[0] for r in rows]
    position, counter = [], {}
    for reader in readers:
        position.append(counter.get(reader, 0))
        counter[reader] = position[-1] + 1
    confidence = np.array([r[3] for r in rows])
    answer = [""] * len(rows)
    if levels >= 2 and levels % 2 == 0 and np.isin(confidence, np.arange(1, levels + 1)).all():
        answer = np.where(confidence <= levels // 2, "real", "synthetic").tolist()
    columns = {"reader": readers, "image": [r[1] for r in rows], "source": [r[2] for r in rows],
               "image_truth": [truth[r[1]][0] for r in rows], "confidence": confidence, "answer": answer,
               "position": position, "trial_kind": ["main"] * len(rows)}
    try:
        return RatingsTable.from_columns(columns, study_design="single", study_confidence_levels=levels,
                                         equivalence_margin=facts.get("margin"),
                                         primary_endpoint=facts.get("endpoint", ""), comparison=comparison,
                                         title=facts.get("title", "") if facts.get("title") != "untitled" else "")
    except TableError as error:
        raise LayoutError(f"Line {facts.get('levels_line', 1)}: {error}") from None


def _check_one_score_per_real_read(observations: dict, truth: dict) -> None:
    first: dict[tuple[str, str], tuple[float, int]] = {}
    for (reader, case, _), (score, number) in sorted(observations.items(), key=lambda kv: kv[1][1]):
        if truth[case][0] != 0:
            continue
        if (reader, case) in first and first[(reader, case)][0] != score:
            raise LayoutError(f"Line {number}: reader {reader!r} scores real case {case!r} differently than on line "
                              f"{first[(reader, case)][1]}; with generators a real image has one read.")
        first.setdefault((reader, case), (score, number))


# ---------------------------------------------------------------- either

def write_table(table: RatingsTable, path, layout: str) -> None:
    {"radturing": write_radturing, "imrmc": write_imrmc}[_layout(layout)](table, path)


def read_table(path, layout: str) -> RatingsTable:
    return {"radturing": read_radturing, "imrmc": read_imrmc}[_layout(layout)](path)


def _layout(layout: str) -> str:
    if layout not in LAYOUTS:
        raise LayoutError(f"The layout must be one of {LAYOUTS}, not {layout!r}.")
    return layout


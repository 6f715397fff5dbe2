"""Agreement on the binary calls (studies/stats/agreement.py) and attention checks.

- Fleiss' κ across readers: over the images read by at least two readers. Fleiss (1971) needs the
  same number of raters per image; with m the fewest reads among those images, each image counts
  its first m reads (readers in id order). Fully crossed, that is every reader on every image
  (images with a timed-out read then count one reader fewer everywhere — the minimum); with
  balanced subsets, the images' m ≥ 2 readers (read counts differ by at most one within a class).
- Cohen's κ for each pair of readers over the images both called, with the Fleiss–Cohen–Everitt
  interval (None when κ is undefined: both always gave the same single call).
- Intra-reader κ: each repeat trial's call against the call at its repeat_of_position.
- Catch trials: a failure is a catch trial answered other than its catch_expected; a timed-out
  catch trial is "missed" (apart). A reader with any failure is flagged (flagged, never excluded:
  the researcher decides).
Calls: single design "real"/"synthetic"; 2-AFC "left"/"right" (catch trials only).
"""
from __future__ import annotations

import numpy as np

from studies.analysis.table import RatingsTable
from studies.stats.agreement import cohen_kappa_from_table, fleiss_kappa


def agreement_section(table: RatingsTable, called: np.ndarray, confidence: float) -> dict:
    """Fleiss and Cohen over `called` (in a conditions study, within each condition), intra-reader κ
    and catch trials."""
    out = {"intra_reader": intra_reader(table, confidence), "catch": catch_trials(table)}
    if table.comparison == "conditions":
        out["by_condition"] = {label: _between_readers(table, called & (table.source == label), confidence)
                               for label in np.unique(table.source[called]).tolist()}
    else:
        out.update(_between_readers(table, called, confidence))
    return out


def _between_readers(table: RatingsTable, called: np.ndarray, confidence: float) -> dict:
    calls = (table.answer == "synthetic").astype(int)
    readers, reader_index = np.unique(table.reader[called], return_inverse=True)
    images, image_index = np.unique(table.image[called], return_inverse=True)
    grid = np.full((len(readers), len(images)), -1)
    grid[reader_index, image_index] = calls[called]
    return {"fleiss": _fleiss(grid, confidence), "cohen": _cohen_pairs(grid, readers.tolist(), confidence)}


def _fleiss(grid: np.ndarray, confidence: float) -> dict | None:
    reads = (grid >= 0).sum(axis=0)
    shared = reads >= 2
    if shared.sum() < 2:
        return None
    m = int(reads[shared].min())
    columns = grid[:, shared]
    taken = (columns >= 0) & (np.cumsum(columns >= 0, axis=0) <= m)  # each image's first m reads
    synthetic = ((columns == 1) & taken).sum(axis=0)
    counts = np.stack([m - synthetic, synthetic], axis=1)
    if (counts.sum(axis=0) == 0).any():
        return None  # every call the same: κ is undefined
    try:
        with np.errstate(invalid="ignore", divide="ignore"):  # a jackknife fold may leave one category
            kappa = fleiss_kappa(counts, confidence)
    except ValueError:
        return None
    return {"kappa": kappa.kappa, "se": kappa.se, "low": kappa.low, "high": kappa.high,
                "p_value": kappa.p_value, "images": kappa.subjects, "raters_per_image": kappa.raters}


def _kappa_dict(table2x2: np.ndarray, confidence: float) -> dict | None:
    try:
        k = cohen_kappa_from_table(table2x2, confidence)
    except ValueError:
        return None
    return {"kappa": k.kappa, "se": k.se, "low": k.low, "high": k.high, "p_value": k.p_value,
            "observed_agreement": k.observed_agreement, "images": k.n}


def _cohen_pairs(grid: np.ndarray, readers: list[str], confidence: float) -> list[dict]:
    out = []
    for a in range(len(readers)):
        for b in range(a + 1, len(readers)):
            both = (grid[a] >= 0) & (grid[b] >= 0)
            if both.sum() < 2:
                continue
            cells = np.bincount(2 * grid[a, both] + grid[b, both], minlength=4).reshape(2, 2)
            out.append({"readers": [readers[a], readers[b]], **(_kappa_dict(cells, confidence) or
                                                                {"kappa": None, "images": int(both.sum())})})
    return out


def intra_reader(table: RatingsTable, confidence: float) -> list[dict]:
    """Per reader with repeats: κ between first and repeated calls (None if undefined)."""
    answered = table.answer != ""
    positive = "synthetic" if table.study_design == "single" else "right"
    repeats = np.flatnonzero((table.trial_kind == "repeat") & answered)
    out = []
    for reader in np.unique(table.reader[repeats]).tolist():
        mine = repeats[table.reader[repeats] == reader]
        sequence = np.flatnonzero((table.reader == reader) & answered)
        by_position = dict(zip(table.position[sequence].tolist(), sequence.tolist()))
        pairs = [(by_position[p], i) for p, i in zip(table.repeat_of_position[mine].tolist(), mine.tolist())
                 if p in by_position]
        if not pairs:
            continue
        first, second = (np.array(x) for x in zip(*pairs))
        a, b = (table.answer[first] == positive).astype(int), (table.answer[second] == positive).astype(int)
        cells = np.bincount(2 * a + b, minlength=4).reshape(2, 2)
        entry = {"reader": reader, "pairs": len(pairs), "same_call": float((a == b).mean())}
        kappa = _kappa_dict(cells, confidence) if len(pairs) >= 2 else None
        entry.update(kappa or {"kappa": None})
        out.append(entry)
    return out


def catch_trials(table: RatingsTable) -> dict:
    catch = table.trial_kind == "catch"
    readers = []
    for reader in np.unique(table.reader[catch]).tolist():
        mine = catch & (table.reader == reader)
        missed = mine & table.timed_out
        failed = mine & ~table.timed_out & (table.answer != table.catch_expected)
        readers.append({"reader": reader, "trials": int(mine.sum()), "failed": int(failed.sum()),
                        "missed": int(missed.sum()), "flagged": bool(failed.any())})
    return {"trials": int(catch.sum()), "readers": readers,
            "flagged_readers": [r["reader"] for r in readers if r["flagged"]]}

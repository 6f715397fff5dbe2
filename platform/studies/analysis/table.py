"""The ratings table: one entry per rating, the contract between the platform and the analysis.

The platform fills it from Study, StudySource, PoolImage, StudyReader, Trial and Rating (not here:
this module imports no Django); the CSV layouts (csv_layouts.py) write and read it; `analyse`
reads nothing else. Every column is an aligned array (numbers, ids) or tuple (free text), one
entry per rating, in no particular order. docs/analysis.md lists the columns as the CSV writes them.

Conventions (as studies/rating.py stores them): truth 1 = synthetic, 0 = real. The confidence is
the bipolar scale 1 = definitely real … N = definitely synthetic; in 2-AFC 1 = definitely the LEFT
image is real … N = definitely the RIGHT image is real. The answer follows from it: the lower half
of the scale says "real" ("left").

`comparison` says what the sources are:
- "generators" (the platform's studies): a synthetic image's source is its generator and a real
  image's source is the real collection's label; each reader reads each image once (repeats apart),
  and every generator is analysed against all the real images, which they share.
- "conditions" (classic MRMC, e.g. an imported iMRMC file): the source is the reading condition
  (modality); an image may be read under several conditions, one rating per condition, and truth 1
  means signal present (abnormal).
"""
from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

DESIGNS = ("single", "2afc")
TRIAL_KINDS = ("main", "repeat", "catch", "calibration")
COMPARISONS = ("generators", "conditions")
ENDPOINTS = ("accuracy", "auc_equivalence", "")
ANSWERS = {"single": ("real", "synthetic", ""), "2afc": ("left", "right", "")}


class TableError(ValueError):
    """The columns do not make a ratings table; the message says why in one sentence."""


# name -> kind: "str" (numpy unicode ids), "text" (tuple of free text), "int", "float" (nan = none), "bool"
COLUMNS: dict[str, str] = {
    "reader": "str",  # the reader's id within the study (e.g. the slot), never an account id
    "reader_training_level": "str",  # student | resident | fellow | attending | other | "" (not given)
    "reader_years": "float",  # years of experience; nan if not given
    "reader_simulated": "bool",  # demo ratings made by code (StudyReader.simulated)
    "position": "int",  # index of the trial in this reader's sequence (0 = first, calibration included)
    "session": "int",  # reading session (1 = first)
    "trial_kind": "str",  # main | repeat | catch | calibration
    "image": "str",  # the image's study-local id; 2-AFC: the LEFT image
    "image_truth": "int",  # 1 synthetic, 0 real
    "source": "str",  # label of the image's source (generator, real collection, or reading condition)
    "finding": "str",  # finding class of the image ("" none)
    "second_image": "str",  # 2-AFC: the RIGHT image; "" in the single-image design
    "second_truth": "int",  # 2-AFC: the right image's truth; -1 otherwise
    "second_source": "str",  # 2-AFC: the right image's source; "" otherwise
    "design": "str",  # single | 2afc (the same for every rating)
    "confidence": "float",  # the bipolar scale value (see above); nan if timed out
    "confidence_levels": "int",  # N of the scale; 0 = scores of unknown range (imported)
    "answer": "str",  # single: real | synthetic; 2-AFC: left | right (which is real); "" timed out or none
    "timed_out": "bool",  # the time limit passed before a rating (no confidence, no answer)
    "realism": "float",  # realism score 1-5 when the study asks it; nan otherwise
    "tell_text": "text",  # what gave the image away, in the reader's words ("" none)
    "tell_x": "float",  # the reader's click, 0..1 of the image width; nan none
    "tell_y": "float",  # 0..1 of the image height; nan none
    "server_ms": "float",  # reading time from serving the image to the rating (server clock); nan unknown
    "client_ms": "float",  # the same as the browser measured it; nan unknown
    "repeat_of_position": "int",  # repeat trials: position of the first showing; -1 otherwise
    "catch_expected": "str",  # catch trials: the answer the catch image requires; "" otherwise
}

# What a column holds when a source (e.g. an iMRMC file) does not give it.
DEFAULTS = {"str": "", "text": "", "int": -1, "float": float("nan"), "bool": False}
NOT_NEGATIVE_ONE = {"position": 0, "session": 1, "confidence_levels": 0}


@dataclass(frozen=True, eq=False)
class RatingsTable:
    """Aligned columns, one entry per rating (COLUMNS documents each), plus study-level facts.

    Catch trials: the allocation mixes attention-check images (pool role "catch") into each
    sequence (studies/allocation.py). Their expected answer is the one their truth demands: in the
    single-image design "real" or "synthetic", in 2-AFC the side ("left" | "right") of the real
    image. A catch failure is a catch trial answered otherwise; a timed-out catch trial is counted
    as missed, apart from failures."""
    reader: np.ndarray
    reader_training_level: np.ndarray
    reader_years: np.ndarray
    reader_simulated: np.ndarray
    position: np.ndarray
    session: np.ndarray
    trial_kind: np.ndarray
    image: np.ndarray
    image_truth: np.ndarray
    source: np.ndarray
    finding: np.ndarray
    second_image: np.ndarray
    second_truth: np.ndarray
    second_source: np.ndarray
    design: np.ndarray
    confidence: np.ndarray
    confidence_levels: np.ndarray
    answer: np.ndarray
    timed_out: np.ndarray
    realism: np.ndarray
    tell_text: tuple
    tell_x: np.ndarray
    tell_y: np.ndarray
    server_ms: np.ndarray
    client_ms: np.ndarray
    repeat_of_position: np.ndarray
    catch_expected: np.ndarray
    # Study-level metadata.
    study_design: str = "single"  # single | 2afc
    study_confidence_levels: int = 6  # N of the scale; 0 = unknown range (imported scores)
    equivalence_margin: float | None = None  # pre-registered δ: "cannot tell" = AUC in [0.5 − δ, 0.5 + δ]
    primary_endpoint: str = ""  # accuracy | auc_equivalence | "" (none registered)
    comparison: str = "generators"  # generators | conditions (module docstring)
    title: str = ""  # for the report's heading

    def __post_init__(self) -> None:
        lengths = set()
        for name, kind in COLUMNS.items():
            value = _coerce(name, kind, getattr(self, name))
            object.__setattr__(self, name, value)
            lengths.add(len(value))
        if len(lengths) > 1:
            raise TableError("Every column needs one entry per rating; the lengths differ.")
        _check_values(self)

    @classmethod
    def from_columns(cls, columns: dict, **study) -> "RatingsTable":
        """A table from a dict of columns; missing ones take their defaults (DEFAULTS). `study`: the
        study-level fields (study_design, study_confidence_levels, equivalence_margin, …)."""
        unknown = set(columns) - set(COLUMNS)
        if unknown:
            raise TableError(f"Unknown columns: {', '.join(sorted(unknown))}.")
        lengths = {len(v) for v in columns.values()}
        if len(lengths) > 1:
            raise TableError("Every column needs one entry per rating; the lengths differ.")
        n = lengths.pop() if lengths else 0
        design = study.get("study_design", "single")
        full = {}
        for name, kind in COLUMNS.items():
            if name in columns:
                full[name] = columns[name]
            elif name == "design":
                full[name] = [design] * n
            elif name == "confidence_levels":
                full[name] = [study.get("study_confidence_levels", 6)] * n
            else:
                full[name] = [NOT_NEGATIVE_ONE.get(name, DEFAULTS[kind])] * n
        return cls(**full, **study)

    def __len__(self) -> int:
        return len(self.reader)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RatingsTable):
            return NotImplemented
        for f in fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            if isinstance(a, np.ndarray):
                if a.shape != b.shape or a.dtype.kind != b.dtype.kind:
                    return False
                same = (a == b) | (np.isnan(a) & np.isnan(b)) if a.dtype.kind == "f" else a == b
                if not np.all(same):
                    return False
            elif a != b:
                return False
        return True

    def subset(self, mask) -> "RatingsTable":
        """The ratings where `mask` is true (same study-level facts)."""
        mask = np.asarray(mask, dtype=bool)
        columns = {name: (tuple(t for t, m in zip(self.tell_text, mask) if m) if kind == "text"
                          else getattr(self, name)[mask]) for name, kind in COLUMNS.items()}
        return RatingsTable(**columns, **self.study_facts())

    def study_facts(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in COLUMNS}


def _coerce(name: str, kind: str, value):
    if kind == "text":
        return tuple("" if v is None else str(v) for v in value)
    if kind == "str":
        array = np.asarray(["" if v is None else str(v) for v in value], dtype=str)
        return _frozen(array if array.size else np.zeros(0, dtype="<U1"))
    try:
        if kind == "int":
            array = np.asarray(value, dtype=float)
            if array.size and (~np.isfinite(array) | (array != np.round(array))).any():
                raise TableError(f"Column {name!r} holds whole numbers only.")
            return _frozen(array.astype(np.int64))
        if kind == "bool":
            return _frozen(np.asarray(value, dtype=bool))
        return _frozen(np.asarray([np.nan if v is None else v for v in value], dtype=float))
    except (TypeError, ValueError) as error:
        if isinstance(error, TableError):
            raise
        raise TableError(f"Column {name!r} must hold numbers.") from None


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.ascontiguousarray(array)
    array.setflags(write=False)
    return array


def _check_values(table: RatingsTable) -> None:
    if table.study_design not in DESIGNS:
        raise TableError(f"The design must be one of {DESIGNS}, not {table.study_design!r}.")
    if table.comparison not in COMPARISONS:
        raise TableError(f"The comparison must be one of {COMPARISONS}, not {table.comparison!r}.")
    if table.primary_endpoint not in ENDPOINTS:
        raise TableError(f"The primary endpoint must be one of {ENDPOINTS[:2]} or empty.")
    margin = table.equivalence_margin
    if margin is not None and not 0 < margin < 0.5:
        raise TableError("The equivalence margin must lie strictly between 0 and 0.5.")
    checks = [
        ((table.design != table.study_design).any(), "Every rating must have the study's design."),
        ((table.confidence_levels != table.study_confidence_levels).any(),
         "Every rating must have the study's number of confidence levels."),
        (~np.isin(table.trial_kind, TRIAL_KINDS).all(), f"trial_kind must be one of {TRIAL_KINDS}."),
        (~np.isin(table.image_truth, (0, 1)).all(), "image_truth must be 0 (real) or 1 (synthetic)."),
        (~np.isin(table.answer, ANSWERS[table.study_design]).all(),
         f"A {table.study_design} answer must be one of {ANSWERS[table.study_design][:2]} or empty."),
        ((table.timed_out & np.isfinite(table.confidence)).any(), "A timed-out rating has no confidence."),
        ((~table.timed_out & np.isnan(table.confidence)).any(), "A rating that did not time out needs a confidence."),
        ((table.trial_kind == "repeat").any() and (table.repeat_of_position[table.trial_kind == "repeat"] < 0).any(),
         "A repeat trial needs the position of its first showing."),
    ]
    if table.study_design == "2afc":
        checks.append(((table.second_image == "").any() or (table.image_truth == table.second_truth).any(),
                       "Each 2-AFC trial needs a right image, and one real and one synthetic image."))
    for failed, sentence in checks:
        if failed:
            raise TableError(sentence)

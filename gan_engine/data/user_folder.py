"""A user's own images: a folder of DICOM and/or PNG/TIFF files with an optional labels CSV.

Every readable frame becomes one image; every unreadable file is listed with the reason, and the
rest still load. Labels CSV columns: `file` (path relative to the folder), `finding` (a name
from conditions.FINDING_CLASSES), and optional `severity`, `x`, `y` in [0, 1] (see Condition).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import Dataset

from gan_engine.conditions import Condition, FINDING_CLASSES
from gan_engine.data.dicom import DEFAULT_MAX_PIXELS, DataError, read_dicom_frames
from gan_engine.data.intensity import DEFAULT_HU_RANGE, hu_to_unit
from gan_engine.data.raster import RASTER_SUFFIXES, read_raster

LABELS_FILE = "labels.csv"
DICOM_SUFFIXES = (".dcm", ".dicom", ".ima", "")  # DICOM files often carry no suffix at all
IGNORED_SUFFIXES = (".csv", ".txt", ".md", ".json")
LABEL_COLUMNS = ("file", "finding", "severity", "x", "y")

__all__ = [
    "DataError", "FolderReport", "LoadedImage", "UserFolderDataset", "load_folder",
    "read_dicom_frames", "read_labels", "read_raster",
]


@dataclass(frozen=True)
class LoadedImage:
    """One frame of a user's file.

    array:     float32 [H, W]; HU if `is_hu`, else display values in [0, 1].
    source:    path of the file.
    frame:     frame index within the file (0 for single-frame files).
    condition: the labels CSV row for this file, or None when unlabelled.
    is_hu:     True for CT frames in Hounsfield units.
    """

    array: np.ndarray
    source: Path
    frame: int
    condition: Condition | None
    is_hu: bool


@dataclass
class FolderReport:
    """What `load_folder` found: the images, and (file name, reason) for every file it skipped."""

    images: list[LoadedImage] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


def _optional_fraction(row: dict[str, str], name: str, default: float) -> float:
    text = (row.get(name) or "").strip()
    if not text:
        return default
    return float(text)  # ValueError names the bad text; Condition checks the range


def read_labels(path: str | Path) -> dict[str, Condition]:
    """Parse a labels CSV into {relative file name: Condition}.

    Raises DataError listing every bad line (line number and reason): missing `file`/`finding`
    columns, unknown columns, unknown findings, values outside [0, 1], duplicate file names.
    """
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            columns = [c.strip() for c in (reader.fieldnames or [])]
            missing = [c for c in ("file", "finding") if c not in columns]
            if missing:
                raise DataError(
                    f"{path.name}: missing column(s) {', '.join(missing)}; expected "
                    f"{', '.join(LABEL_COLUMNS)}"
                )
            unknown = [c for c in columns if c not in LABEL_COLUMNS]
            if unknown:
                raise DataError(f"{path.name}: unknown column(s) {', '.join(unknown)}")
            labels: dict[str, Condition] = {}
            problems: list[str] = []
            for line, raw in enumerate(reader, start=2):
                row = {(k or "").strip(): (v or "") for k, v in raw.items()}
                name = row.get("file", "").strip()
                finding = row.get("finding", "").strip()
                if not name:
                    problems.append(f"line {line}: empty file name")
                    continue
                if name in labels:
                    problems.append(f"line {line}: {name} is listed twice")
                    continue
                try:
                    labels[name] = Condition(
                        finding=finding,
                        severity=_optional_fraction(row, "severity", 0.0),
                        x=_optional_fraction(row, "x", 0.5),
                        y=_optional_fraction(row, "y", 0.5),
                    )
                except ValueError as exc:
                    problems.append(f"line {line}: {exc}")
    except UnicodeDecodeError:
        raise DataError(f"{path.name}: not a UTF-8 text file") from None
    except csv.Error as exc:
        raise DataError(f"{path.name}: not a valid CSV file ({exc})") from None
    if problems:
        shown = "; ".join(problems[:10]) + ("; …" if len(problems) > 10 else "")
        raise DataError(f"{path.name}: {len(problems)} bad line(s): {shown}")
    return labels


def _read_any(path: Path, max_pixels: int) -> tuple[np.ndarray, bool]:
    """(frames [F, H, W] float32, is_hu) for a DICOM or raster file, or DataError."""
    suffix = path.suffix.lower()
    if suffix in RASTER_SUFFIXES:
        return read_raster(path).frames, False
    image = read_dicom_frames(path, max_pixels=max_pixels)
    return image.frames, image.is_hu


def load_folder(
    folder: str | Path,
    *,
    labels_csv: str | Path | None = None,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> FolderReport:
    """Load every image frame under `folder` (recursively, sorted by path).

    labels_csv: defaults to `folder/labels.csv` when present. A bad labels file raises DataError
                (labels must be right or absent); unreadable images are reported, not raised.
    max_pixels: per-file limit on rows × columns × frames × samples, checked before decoding.
    Files with suffixes in IGNORED_SUFFIXES and hidden files are skipped silently; labelled
    files that are missing are reported.
    """
    root = Path(folder)
    if not root.is_dir():
        raise DataError(f"{root} is not a folder")
    if labels_csv is None and (root / LABELS_FILE).is_file():
        labels_csv = root / LABELS_FILE
    labels = read_labels(labels_csv) if labels_csv is not None else {}

    report = FolderReport()
    seen: set[str] = set()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        suffix = path.suffix.lower()
        if suffix in IGNORED_SUFFIXES:
            continue
        if suffix not in RASTER_SUFFIXES and suffix not in DICOM_SUFFIXES:
            report.errors.append((relative, f"unsupported file type {suffix!r}"))
            continue
        seen.add(relative)
        try:
            frames, is_hu = _read_any(path, max_pixels)
        except DataError as exc:
            report.errors.append((relative, str(exc)))
            continue
        condition = labels.get(relative)
        for index, frame in enumerate(frames):
            report.images.append(LoadedImage(frame, path, index, condition, is_hu))
    for name in sorted(set(labels) - seen):
        report.errors.append((name, "listed in the labels file but not found in the folder"))
    return report


def _square_and_resize(array: np.ndarray, size: int, fill: float) -> tuple[torch.Tensor, tuple]:
    """Pad [H, W] to a centred square with `fill`, then anti-aliased resize to size × size.

    Returns the tensor [1, size, size] and (pad_top, pad_left, side) to move label positions.
    """
    h, w = array.shape
    side = max(h, w)
    top, left = (side - h) // 2, (side - w) // 2
    square = np.full((side, side), fill, dtype=np.float32)
    square[top : top + h, left : left + w] = array
    t = torch.from_numpy(square)[None, None]
    if side != size:
        t = F.interpolate(t, size=(size, size), mode="bilinear", antialias=side > size,
                          align_corners=False)
    return t[0], (top, left, side)


class UserFolderDataset(Dataset):
    """A loaded user folder as training items shaped like LabelledCTDataset's.

    report:   a FolderReport from `load_folder` (or a folder path, loaded here).
    size:     output side, px. Images are padded to a square (air/black) before resizing.
    hu_range: HU mapped to [-1, 1] for CT; other images map [0, 1] -> [-1, 1].
    Unlabelled images are "normal" with position (0.5, 0.5). `position` is remapped through the
    padding, so it still points at the same anatomy.
    """

    def __init__(
        self,
        report: FolderReport | str | Path,
        size: int = 64,
        *,
        hu_range: tuple[float, float] = DEFAULT_HU_RANGE,
    ) -> None:
        self.report = report if isinstance(report, FolderReport) else load_folder(report)
        if not self.report.images:
            raise DataError("the folder holds no readable images")
        self.size = int(size)
        self.hu_range = hu_range

    def __len__(self) -> int:
        return len(self.report.images)

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        item = self.report.images[index]
        if item.is_hu:
            unit = hu_to_unit(item.array, self.hu_range).astype(np.float32)
        else:
            unit = (np.clip(item.array, 0.0, 1.0) * 2.0 - 1.0).astype(np.float32)
        image, (top, left, side) = _square_and_resize(unit, self.size, -1.0)
        condition = item.condition or Condition()
        h, w = item.array.shape
        x = (left + condition.x * w) / side
        y = (top + condition.y * h) / side
        return {
            "image": image.clamp(-1.0, 1.0),
            "finding": torch.tensor(FINDING_CLASSES.index(condition.finding), dtype=torch.int64),
            "severity": torch.tensor(condition.severity if condition.has_lesion else 0.0,
                                     dtype=torch.float32),
            "position": torch.tensor((x, y) if condition.has_lesion else (0.5, 0.5),
                                     dtype=torch.float32),
        }

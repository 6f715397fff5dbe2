"""Reading pixels out of uploaded DICOM, PNG and TIFF files, with limits checked before decoding.

(gan_engine/data has no DICOM reader yet; when its `read_dicom_frames` lands, `dicom_frames`
can delegate to it.) Every problem is raised as `DecodeError` with a message fit for the report.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image as PILImage
from PIL import ImageSequence
from pydicom.dataset import Dataset
from pydicom.pixels import apply_modality_lut

from gan_engine.hu import HU_OFFSET

SECONDARY_CAPTURE_PREFIX = "1.2.840.10008.5.1.4.1.1.7"  # SC image storage and its multi-frame kin
# Objects that carry pixel data but are not pictures (PS3.3 C.7.3.1.1.1 defined terms).
NON_IMAGE_MODALITIES = {"SEG": "a segmentation", "RTDOSE": "a radiotherapy dose grid", "REG": "a registration"}


class DecodeError(Exception):
    """A file that cannot be ingested, with the reason for the ingest report."""


@dataclass
class Frames:
    """Decoded 2-D frames in the values the master stores (HU when `is_hu`), with what goes with them."""

    frames: list[np.ndarray]
    is_hu: bool
    modality: str
    pixel_spacing_mm: tuple[float, float] | None = None
    notes: list[str] = field(default_factory=list)


def _spacing(value) -> tuple[float, float] | None:
    try:
        row, col = float(value[0]), float(value[1])
    except (TypeError, ValueError, IndexError):
        return None
    return (row, col) if row > 0 and col > 0 else None


def _first_item(ds: Dataset, *keywords: str) -> Dataset | None:
    """ds.K1[0].K2[0]... or None."""
    current: Dataset | None = ds
    for keyword in keywords:
        seq = current.get(keyword) if current is not None else None
        if not seq:
            return None
        current = seq[0]
    return current


def dicom_spacing(ds: Dataset) -> tuple[float, float] | None:
    """Pixel spacing (row, column) in mm: PixelSpacing, enhanced Pixel Measures, or ImagerPixelSpacing."""
    for value in (ds.get("PixelSpacing"),
                  getattr(_first_item(ds, "SharedFunctionalGroupsSequence", "PixelMeasuresSequence"),
                          "PixelSpacing", None),
                  getattr(_first_item(ds, "PerFrameFunctionalGroupsSequence", "PixelMeasuresSequence"),
                          "PixelSpacing", None),
                  ds.get("ImagerPixelSpacing")):
        spacing = _spacing(value) if value is not None else None
        if spacing:
            return spacing
    return None


def burned_in_reason(ds: Dataset) -> str | None:
    """Why this DICOM image may carry burned-in text (names, dates) in its pixels, or None."""
    if str(ds.get("BurnedInAnnotation", "")).strip().upper() == "YES":
        return "BurnedInAnnotation is YES"
    if str(ds.get("SOPClassUID", "")).startswith(SECONDARY_CAPTURE_PREFIX):
        return "a Secondary Capture (screen capture or scanned) image"
    image_type = [str(v).upper() for v in (ds.get("ImageType") or [])]
    if any("SCREEN" in v for v in image_type):
        return "ImageType says it is a screen capture"
    return None


def _frame_rescale(ds: Dataset, index: int) -> tuple[float, float] | None:
    """Enhanced multi-frame objects keep slope/intercept in functional groups (PS3.3 C.7.6.16.2.9)."""
    for path in (("PerFrameFunctionalGroupsSequence",), ("SharedFunctionalGroupsSequence",)):
        groups = ds.get(path[0])
        if not groups:
            continue
        group = groups[index] if path[0].startswith("PerFrame") and index < len(groups) else groups[0]
        transform = group.get("PixelValueTransformationSequence")
        if transform and "RescaleSlope" in transform[0]:
            return float(transform[0].RescaleSlope), float(transform[0].get("RescaleIntercept", 0))
    return None


def dicom_frames(ds: Dataset, *, max_pixels: int) -> Frames:
    """Decode the frames of a DICOM image: modality LUT (HU for CT), MONOCHROME1 inverted, colour
    converted to luma; checks Rows x Columns x Frames against `max_pixels` before decoding."""
    if "PixelData" not in ds and "FloatPixelData" not in ds and "DoubleFloatPixelData" not in ds:
        sop = ds.get("SOPClassUID")
        kind = getattr(sop, "name", None) or str(sop or "unknown")
        raise DecodeError(f"Not an image: this DICOM object ({kind}) has no pixel data.")
    modality = str(ds.get("Modality", "OT") or "OT").strip().upper()
    if modality in NON_IMAGE_MODALITIES:
        raise DecodeError(f"Not an image: this DICOM object is {NON_IMAGE_MODALITIES[modality]} ({modality}).")
    try:
        rows, cols = int(ds.Rows), int(ds.Columns)
        n_frames = int(ds.get("NumberOfFrames", 1) or 1)
        samples = int(ds.get("SamplesPerPixel", 1) or 1)
        bits = int(ds.get("BitsAllocated", 16) or 16)
    except (AttributeError, TypeError, ValueError) as exc:
        raise DecodeError(f"The image header is incomplete ({exc}).") from None
    if rows <= 0 or cols <= 0 or n_frames <= 0:
        raise DecodeError("The image has no rows, columns or frames.")
    if rows * cols * n_frames > max_pixels:
        raise DecodeError(f"Too large: {rows} x {cols} x {n_frames} frames = {rows * cols * n_frames:,} pixels; "
                          f"the limit is {max_pixels:,}.")
    if rows * cols * n_frames * samples * max(bits, 8) // 8 > max_pixels * 8:
        raise DecodeError("Too large: the decoded pixel data would exceed the memory limit.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pydicom warns about odd but readable files
            arr = ds.pixel_array
    except Exception as exc:  # noqa: BLE001 - any decoder failure is this file's problem only
        raise DecodeError(f"The pixel data is truncated or cannot be decoded ({type(exc).__name__}: {exc}).") from None
    notes: list[str] = []
    if samples > 1 or arr.ndim == (4 if n_frames > 1 else 3):
        # pydicom returns RGB (YBR converted); ITU-R BT.601 luma
        arr = arr[..., 0] * 0.299 + arr[..., 1] * 0.587 + arr[..., 2] * 0.114
        notes.append("Colour image converted to grayscale.")
    stack = arr.reshape(n_frames, rows, cols) if n_frames > 1 else arr.reshape(1, rows, cols)
    is_hu = modality == "CT"
    frames = []
    for index, frame in enumerate(stack):
        rescale = _frame_rescale(ds, index)
        if rescale is not None:
            values = frame.astype(np.float64) * rescale[0] + rescale[1]
        elif samples == 1:
            values = np.asarray(apply_modality_lut(frame, ds), dtype=np.float64)
        else:
            values = frame.astype(np.float64)
        if str(ds.get("PhotometricInterpretation", "")).strip().upper() == "MONOCHROME1":
            values = values.max() + values.min() - values  # to MONOCHROME2: high values bright
        frames.append(values)
    if str(ds.get("PhotometricInterpretation", "")).strip().upper() == "MONOCHROME1":
        notes.append("MONOCHROME1 inverted to MONOCHROME2.")
    if not is_hu:
        frames, note = _fit_16_bit(frames)
        if note:
            notes.append(note)
    return Frames(frames=frames, is_hu=is_hu, modality=modality, pixel_spacing_mm=dicom_spacing(ds), notes=notes)


def _fit_16_bit(frames: list[np.ndarray]) -> tuple[list[np.ndarray], str | None]:
    """Non-CT values as they are when they fit [0, 65535]; else shifted, or scaled, into it (one rule per file)."""
    lo = min(float(f.min()) for f in frames)
    hi = max(float(f.max()) for f in frames)
    if lo >= 0 and hi <= 65535:
        return [np.rint(f) for f in frames], None
    if hi - lo <= 65535:
        return [np.rint(f - lo) for f in frames], f"Values shifted by {-lo:g} to fit 16 bits."
    scale = 65535.0 / (hi - lo)
    return [np.rint((f - lo) * scale) for f in frames], "Values scaled linearly to fit 16 bits."


def raster_frames(path: Path, *, modality: str, max_pixels: int) -> Frames:
    """Frames of a PNG or TIFF (multi-page TIFF: one frame per page), keeping Pillow's bomb limit and
    treating DecompressionBombWarning as an error. CT files hold HU + 1024, as our masters do."""
    notes: list[str] = []
    frames: list[np.ndarray] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(path) as image:
                width, height = image.size
                n_frames = getattr(image, "n_frames", 1)
                if width * height * n_frames > max_pixels:
                    raise DecodeError(f"Too large: {width} x {height} x {n_frames} frames = "
                                      f"{width * height * n_frames:,} pixels; the limit is {max_pixels:,}.")
                for page in ImageSequence.Iterator(image):
                    frames.append(_raster_values(page, notes))
    except DecodeError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        raise DecodeError(f"Rejected as a possible decompression bomb: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - a broken file is this file's problem only
        raise DecodeError(f"The image cannot be read ({type(exc).__name__}: {exc}).") from None
    modality = (modality or "OT").strip().upper() or "OT"
    is_hu = modality == "CT"
    if is_hu:
        frames = [f - HU_OFFSET for f in frames]
    return Frames(frames=frames, is_hu=is_hu, modality=modality, notes=sorted(set(notes)))


def _raster_values(page: PILImage.Image, notes: list[str]) -> np.ndarray:
    mode = page.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "L"):
        return np.asarray(page, dtype=np.float64)
    if mode in ("I", "F"):
        values = np.asarray(page, dtype=np.float64)
        if not np.isfinite(values).all():
            raise DecodeError("The image holds NaN or infinite values.")
        if values.min() < 0 or values.max() > 65535:
            raise DecodeError(f"Values outside 16 bits ([{values.min():g}, {values.max():g}]) are not accepted.")
        return np.rint(values)
    if mode == "1":
        return np.asarray(page.convert("L"), dtype=np.float64)
    notes.append("Colour image converted to grayscale.")
    return np.asarray(page.convert("L"), dtype=np.float64)

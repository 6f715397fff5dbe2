"""Pixels out of uploaded DICOM, PNG and TIFF files, in the values the imaging store keeps.

DICOM is read by the engine's reader (gan_engine/data/dicom.py: parse, size check before
decoding, pixel decoding, Modality LUT, colour to grey, spacing); this module only turns its
output into master values: HU for CT, and for every other modality its own values in 16 bits with
MONOCHROME1 inverted. One pixel ceiling for DICOM and rasters, `pixel_limit()`. Every problem is
raised as `DecodeError` with one sentence fit for the ingest report.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings
from PIL import Image as PILImage
from PIL import ImageSequence
from pydicom.dataset import Dataset

from gan_engine.data.dicom import DEFAULT_MAX_PIXELS, DataError, read_dicom_dataset, read_dicom_values
from gan_engine.hu import HU_OFFSET

SECONDARY_CAPTURE_PREFIX = "1.2.840.10008.5.1.4.1.1.7"  # SC image storage and its multi-frame kin


class DecodeError(Exception):
    """A file that cannot be ingested, with the reason for the ingest report."""


def pixel_limit() -> int:
    """The most values (Rows x Columns x Frames x Samples) one file may decode to: the setting
    IMAGING_MAX_PIXELS, or the engine's default (Pillow's MAX_IMAGE_PIXELS) when it is 0."""
    return settings.IMAGING_MAX_PIXELS or DEFAULT_MAX_PIXELS


def _sentence(error: DataError) -> str:
    """The engine's reason ("too large: ...") as a sentence for the report ("Too large: ....")."""
    text = str(error).strip() or "The file cannot be read"
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


@dataclass
class Frames:
    """Decoded 2-D frames in the values the master stores (HU when `is_hu`), with what goes with them."""

    frames: list[np.ndarray]
    is_hu: bool
    modality: str
    pixel_spacing_mm: tuple[float, float] | None = None
    notes: list[str] = field(default_factory=list)


def read_dicom(path: Path, *, stop_before_pixels: bool = False) -> Dataset:
    """The parsed header of an uploaded DICOM file (pixels left on disk until decoded)."""
    try:
        return read_dicom_dataset(path, stop_before_pixels=stop_before_pixels)
    except DataError as exc:
        raise DecodeError(_sentence(exc)) from None


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


def dicom_frames(ds: Dataset, *, max_pixels: int | None = None) -> Frames:
    """The frames of a DICOM image as master values: the engine's Modality LUT output (HU for CT,
    colour as luma), MONOCHROME1 inverted so that high values are bright, non-CT values fitted
    into 16 bits. `max_pixels` defaults to `pixel_limit()`."""
    try:
        decoded = read_dicom_values(ds, max_pixels=max_pixels or pixel_limit())
    except DataError as exc:
        raise DecodeError(_sentence(exc)) from None
    notes: list[str] = []
    if decoded.is_colour:
        notes.append("Colour image converted to grayscale.")
    frames = [frame.astype(np.float64) for frame in decoded.frames]
    if decoded.photometric == "MONOCHROME1":
        frames = [f.max() + f.min() - f for f in frames]  # to MONOCHROME2: high values bright
        notes.append("MONOCHROME1 inverted to MONOCHROME2.")
    if not decoded.is_hu:
        frames, note = _fit_16_bit(frames)
        if note:
            notes.append(note)
    return Frames(frames=frames, is_hu=decoded.is_hu, modality=decoded.modality or "OT",
                  pixel_spacing_mm=decoded.pixel_spacing_mm, notes=notes)


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


def raster_frames(path: Path, *, modality: str, max_pixels: int | None = None) -> Frames:
    """Frames of a PNG or TIFF (multi-page TIFF: one frame per page), keeping Pillow's bomb limit and
    treating DecompressionBombWarning as an error. CT files hold HU + 1024, as our masters do.
    `max_pixels` (width x height x pages) defaults to `pixel_limit()`."""
    max_pixels = max_pixels or pixel_limit()
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

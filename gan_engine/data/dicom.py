"""Read the pixels of one DICOM file safely: size check before decoding, clear reasons on failure.

The project's one DICOM reader: the engine's user datasets call `read_dicom_frames`, the
platform's ingest (platform/imaging/decoding.py) calls `read_dicom_dataset` and
`read_dicom_values`. Decoding follows DICOM PS3.3: Modality LUT (C.11.1: rescale slope/intercept
or a LUT; CT output is in HU) -> `read_dicom_values`; then, for the engine's display values of
images that are not in HU, the VOI LUT or window (C.11.2) and MONOCHROME1 inversion (C.7.6.3.1.2)
-> `read_dicom_frames`. Compressed transfer syntaxes are decoded by the installed pylibjpeg
plugins (JPEG, JPEG-LS, JPEG 2000, RLE) through pydicom 3.

One pixel ceiling: `DEFAULT_MAX_PIXELS` (Pillow's), counted as Rows x Columns x Frames x
Samples per pixel and checked on the header before any pixel is decoded.
Every refusal is a DataError whose message starts with what is wrong ("not an image: ...",
"too large: ..."), so that a caller can show it as a sentence.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

# Same default as Pillow's Image.MAX_IMAGE_PIXELS (~89.5 M): one ceiling for every upload path.
DEFAULT_MAX_PIXELS = 89_478_485
# Decoded bytes (Rows × Columns × Frames × Samples × BitsAllocated/8) a single file may need.
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
SUPPORTED_BITS_ALLOCATED = (1, 8, 16, 32, 64)
# Objects that carry pixel data but are not pictures (PS3.3 C.7.3.1.1.1 defined terms).
NON_IMAGE_MODALITIES = {
    "SEG": "a segmentation label map",
    "RTDOSE": "a radiotherapy dose grid",
    "REG": "a registration",
}
# ITU-R BT.601 luma weights for RGB -> grey.
LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114], dtype=np.float32)


class DataError(ValueError):
    """A file that cannot be used as an image; the message says why in plain words."""


@dataclass(frozen=True)
class DicomValues:
    """Decoded frames of one DICOM object in the output units of its Modality LUT, before any window.

    frames:        float32 [F, H, W]. HU when `is_hu`; otherwise the Modality LUT output (the stored
                   values when the file has no rescale); colour pictures as BT.601 luma of their
                   RGB samples (palette colour through its LUT). MONOCHROME1 is not inverted:
                   the header's windows are defined on these values.
    is_hu:         True for CT whose Modality LUT produced Hounsfield units.
    is_colour:     RGB/YBR (3 samples per pixel) or PALETTE COLOR pixels, now grey.
    modality, photometric, pixel_spacing_mm: as in DicomImage.
    """

    frames: np.ndarray
    is_hu: bool
    is_colour: bool
    modality: str
    photometric: str
    pixel_spacing_mm: tuple[float, float] | None


@dataclass(frozen=True)
class DicomImage:
    """Decoded frames of one DICOM object.

    frames:        float32 [F, H, W]. HU when `is_hu`; otherwise display values in [0, 1] after the
                   VOI LUT/window (or a 0.5-99.5 percentile stretch when the file has none),
                   with MONOCHROME1 already inverted so that higher = brighter.
    is_hu:         True for CT whose Modality LUT produced Hounsfield units.
    modality:      (0008,0060), e.g. "CT", "MR", "CR"; "" if absent.
    photometric:   PhotometricInterpretation of the stored pixels, e.g. "MONOCHROME1", "RGB".
    pixel_spacing_mm: (row, col) mm from PixelSpacing / ImagerPixelSpacing, else None.
    """

    frames: np.ndarray
    is_hu: bool
    modality: str
    photometric: str
    pixel_spacing_mm: tuple[float, float] | None


def _sop_name(ds) -> str:
    uid = ds.get("SOPClassUID")
    if uid is None:
        return "this DICOM object"
    name = getattr(uid, "name", str(uid))
    return name if name and name != str(uid) else f"SOP class {uid}"


def read_dicom_dataset(source, *, stop_before_pixels: bool = False):
    """Parse a DICOM file (path, bytes, binary file object or Dataset) or raise DataError.

    Files without the 128-byte preamble and "DICM" prefix are accepted only when a forced parse
    finds a real image or object identity (Modality/SOP Class), so a text file named .dcm is
    rejected rather than parsed into nonsense.
    """
    import pydicom
    from pydicom.errors import InvalidDicomError

    if isinstance(source, pydicom.Dataset):
        return source
    if isinstance(source, (bytes, bytearray, memoryview)):
        source = io.BytesIO(bytes(source))
    defer = "1 MB" if isinstance(source, (str, Path)) else None
    other = _other_format(_peek(source, 132))
    if other:
        raise DataError(f"this is a {other} image, not DICOM: rename it to .{other.lower()}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                # defer_size: large values (the pixel data) stay on disk until the size check
                # has passed; only paths can be re-read lazily
                return pydicom.dcmread(source, stop_before_pixels=stop_before_pixels,
                                       defer_size=defer)
            except InvalidDicomError:
                _rewind(source)
                ds = pydicom.dcmread(source, force=True, stop_before_pixels=stop_before_pixels,
                                     defer_size=defer)
                if not any(k in ds for k in ("SOPClassUID", "Modality", "PixelData", "Rows")):
                    raise DataError("not a DICOM file (no 'DICM' header and no DICOM elements)")
                return ds
    except DataError:
        raise
    except Exception as exc:  # pydicom raises many types on malformed input
        raise DataError(f"not a readable DICOM file: {_short(exc)}") from None


def _other_format(head: bytes) -> str | None:
    """"PNG", "TIFF" or "JPEG" when the first bytes say so; None for DICOM or unknown."""
    # the 128-byte preamble of a DICOM file may itself hold a TIFF header (dual-format files)
    if head[128:132] == b"DICM":
        return None
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if head[:3] == b"\xff\xd8\xff":
        return "JPEG"
    return None


def _peek(source, n: int) -> bytes:
    if isinstance(source, (str, Path)):
        try:
            with open(source, "rb") as f:
                return f.read(n)
        except OSError as exc:
            raise DataError(f"cannot open the file: {exc.strerror or exc}") from None
    pos = source.tell()
    data = source.read(n)
    source.seek(pos)
    return data


def _rewind(source) -> None:
    if hasattr(source, "seek"):
        source.seek(0)


def _short(exc: BaseException, limit: int = 240) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_pixel_budget(
    ds, *, max_pixels: int = DEFAULT_MAX_PIXELS, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[int, int, int, int]:
    """(rows, cols, frames, samples) after checking the header against the limits, before decoding.

    Raises DataError for objects without pixel data (SR, RTSTRUCT, RTPLAN, ECG ...), missing or
    unsupported size attributes, and sizes over `max_pixels` (rows·cols·frames·samples) or
    `max_bytes` of decoded data: pydicom itself has no decompression-bomb limit.
    """
    if not any(tag in ds for tag in ("PixelData", "FloatPixelData", "DoubleFloatPixelData")):
        raise DataError(f"not an image: {_sop_name(ds)} has no pixel data")
    modality = str(ds.get("Modality", "")).strip().upper()
    if modality in NON_IMAGE_MODALITIES:
        raise DataError(f"not an image: {_sop_name(ds)} ({modality}) holds {NON_IMAGE_MODALITIES[modality]}")
    missing = [name for name in ("Rows", "Columns", "BitsAllocated") if name not in ds]
    if missing:
        raise DataError(f"the image size attributes {', '.join(missing)} are missing")
    try:
        rows, cols = int(ds.Rows), int(ds.Columns)
        bits = int(ds.BitsAllocated)
        frames = int(ds.get("NumberOfFrames") or 1)
        samples = int(ds.get("SamplesPerPixel") or 1)
    except (AttributeError, TypeError, ValueError) as exc:
        raise DataError(f"image size attributes are missing or invalid: {_short(exc)}") from None
    if rows <= 0 or cols <= 0 or frames <= 0 or samples not in (1, 3):
        raise DataError(
            f"invalid image size: {rows}×{cols} px, {frames} frame(s), {samples} samples per pixel"
        )
    if bits not in SUPPORTED_BITS_ALLOCATED:
        raise DataError(f"unsupported BitsAllocated {bits}")
    pixels = rows * cols * frames * samples
    if pixels > max_pixels:
        raise DataError(
            f"too large: {rows}×{cols} px × {frames} frame(s) × {samples} = {pixels:,} values "
            f"exceeds the limit of {max_pixels:,}"
        )
    decoded = pixels * max(bits, 8) // 8
    if decoded > max_bytes:
        raise DataError(
            f"too large: {decoded / 2**20:.0f} MiB once decoded exceeds {max_bytes / 2**20:.0f} MiB"
        )
    return rows, cols, frames, samples


def _default_transfer_syntax(ds) -> None:
    """Give a file without (0002,0010) the native syntax it was parsed with, so it can decode."""
    from pydicom.dataset import FileMetaDataset
    from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian

    meta = getattr(ds, "file_meta", None)
    if meta is not None and "TransferSyntaxUID" in meta:
        return
    encoding = getattr(ds, "original_encoding", None)
    if not encoding or encoding[0] is None:
        return
    implicit, little = encoding
    uid = ImplicitVRLittleEndian if implicit else (
        ExplicitVRLittleEndian if little else ExplicitVRBigEndian)
    if meta is None:
        ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = uid


def _frame_rescale(ds, frame: int) -> tuple[float, float] | None:
    """(slope, intercept) for one frame, from the top level or the functional groups."""
    if "RescaleSlope" in ds or "RescaleIntercept" in ds:
        return float(ds.get("RescaleSlope", 1.0)), float(ds.get("RescaleIntercept", 0.0))
    # Enhanced multi-frame objects keep it in (Per-frame|Shared) Functional Groups.
    for seq_name, index in (("PerFrameFunctionalGroupsSequence", frame),
                            ("SharedFunctionalGroupsSequence", 0)):
        seq = ds.get(seq_name)
        if seq is None or len(seq) <= index:
            continue
        group = seq[index]
        pvt = group.get("PixelValueTransformationSequence")
        if pvt:
            item = pvt[0]
            return float(item.get("RescaleSlope", 1.0)), float(item.get("RescaleIntercept", 0.0))
    return None


def _to_grey(arr: np.ndarray, ds, photometric: str) -> np.ndarray:
    """[F, H, W(, 3)] -> [F, H, W] float32; colour images go to BT.601 luma."""
    if photometric == "PALETTE COLOR":
        from pydicom.pixels import apply_color_lut

        arr = apply_color_lut(arr, ds)
    if arr.ndim == 4:  # pydicom 3 returns YBR data already converted to RGB
        return (arr.astype(np.float32) @ LUMA_WEIGHTS).astype(np.float32)
    return arr.astype(np.float32)


def _percentile_stretch(frames: np.ndarray) -> np.ndarray:
    low, high = np.percentile(frames, [0.5, 99.5])
    if high <= low:
        high = low + 1.0
    return np.clip((frames - low) / (high - low), 0.0, 1.0)


def _voi(frames: np.ndarray, raw: np.ndarray, ds) -> np.ndarray:
    """Display values in [0, 1]: VOI LUT sequence, else the first window, else a stretch."""
    if "VOILUTSequence" in ds:
        from pydicom.pixels import apply_voi_lut

        out = np.stack([apply_voi_lut(f, ds, prefer_lut=True) for f in raw]).astype(np.float32)
        return _percentile_stretch(out)
    centre, width = ds.get("WindowCenter"), ds.get("WindowWidth")
    if centre is not None and width is not None:
        c = float(centre[0] if _is_multi(centre) else centre)
        w = float(width[0] if _is_multi(width) else width)
        if w > 0:
            # PS3.3 C.11.2.1.2.1 linear window
            return np.clip((frames - (c - 0.5)) / max(w - 1.0, 1.0) + 0.5, 0.0, 1.0)
    return _percentile_stretch(frames)


def _is_multi(value) -> bool:
    return isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue"


def _spacing(ds) -> tuple[float, float] | None:
    for name in ("PixelSpacing", "ImagerPixelSpacing"):
        value = ds.get(name)
        if value is not None and len(value) == 2:
            return float(value[0]), float(value[1])
    shared = ds.get("SharedFunctionalGroupsSequence")
    if shared:
        measures = shared[0].get("PixelMeasuresSequence")
        if measures and "PixelSpacing" in measures[0]:
            value = measures[0].PixelSpacing
            return float(value[0]), float(value[1])
    return None


def _decode(source, max_pixels: int, max_bytes: int) -> tuple[object, np.ndarray, DicomValues]:
    """(dataset, stored pixels [F, H, W(, 3)], Modality LUT output): the steps both readers share."""
    ds = read_dicom_dataset(source)
    _default_transfer_syntax(ds)
    rows, cols, frames, samples = check_pixel_budget(ds, max_pixels=max_pixels, max_bytes=max_bytes)
    photometric = str(ds.get("PhotometricInterpretation", "MONOCHROME2")).strip().upper()
    modality = str(ds.get("Modality", "")).strip().upper()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw = ds.pixel_array
    except Exception as exc:
        syntax = ds.file_meta.get("TransferSyntaxUID") if hasattr(ds, "file_meta") else None
        name = getattr(syntax, "name", "unknown transfer syntax")
        raise DataError(f"the pixel data is truncated or cannot be decoded ({name}): {_short(exc)}") from None
    if frames == 1:
        raw = raw[None]
    expected = (frames, rows, cols) + ((3,) if samples == 3 else ())
    if raw.shape != expected:
        raise DataError(f"decoded pixel data has shape {raw.shape}, expected {expected}")

    grey = _to_grey(raw, ds, photometric)
    is_colour = samples == 3 or photometric == "PALETTE COLOR"
    has_rescale = False
    if not is_colour:
        rescaled = np.empty_like(grey)
        for i in range(frames):
            params = _frame_rescale(ds, i)
            if params is not None:
                has_rescale = True
                rescaled[i] = grey[i] * params[0] + params[1]
            elif "ModalityLUTSequence" in ds:
                from pydicom.pixels import apply_modality_lut

                has_rescale = True
                rescaled[i] = apply_modality_lut(raw[i], ds).astype(np.float32)
            else:
                rescaled[i] = grey[i]
        grey = rescaled
    # CT's Modality LUT output is HU by definition (PS3.3 C.11.1.1.2); other units are not HU.
    rescale_type = str(ds.get("RescaleType", "HU")).strip().upper()
    is_hu = modality == "CT" and has_rescale and rescale_type in ("HU", "")
    values = DicomValues(
        frames=np.ascontiguousarray(grey, dtype=np.float32), is_hu=bool(is_hu), is_colour=is_colour,
        modality=modality, photometric=photometric, pixel_spacing_mm=_spacing(ds),
    )
    return ds, raw, values


def read_dicom_values(
    source,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> DicomValues:
    """Decode every frame of a DICOM image into its Modality LUT units (see DicomValues): HU for CT.

    source: a path, the file's bytes, a binary file object or a pydicom Dataset.
    The same checks and reasons as `read_dicom_frames`; what it leaves out is the display step,
    for callers that store the values themselves (the platform keeps 16-bit masters).
    """
    return _decode(source, max_pixels, max_bytes)[2]


def read_dicom_frames(
    source: str | Path | bytes | BinaryIO,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> DicomImage:
    """Decode every frame of a DICOM image into float32 [F, H, W] (see DicomImage for units).

    source: a path, the file's bytes, a binary file object or a pydicom Dataset.
    Raises DataError with a human-readable reason: not DICOM, not an image (SR, RTSTRUCT, ...),
    over the size limits (checked before any decoding), a codec that cannot decode it, or
    truncated pixel data.
    """
    ds, raw, values = _decode(source, max_pixels, max_bytes)
    grey, photometric = values.frames, values.photometric
    if values.is_hu:
        out = grey
    elif values.is_colour:  # colour pictures have no window: scale by their bit depth
        bits = int(ds.get("BitsStored") or ds.BitsAllocated)
        out = np.clip(grey / float(2**bits - 1 if photometric != "PALETTE COLOR" else grey.max() or 1), 0, 1)
    else:
        out = _voi(grey, raw, ds)
        if photometric == "MONOCHROME1":
            out = 1.0 - out
    return DicomImage(
        frames=np.ascontiguousarray(out, dtype=np.float32),
        is_hu=values.is_hu,
        modality=values.modality,
        photometric=photometric,
        pixel_spacing_mm=values.pixel_spacing_mm,
    )

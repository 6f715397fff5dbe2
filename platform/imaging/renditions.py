"""The one rendition pipeline: pixel values -> canonical 16-bit master -> 8-bit display and thumbnail.

Real and synthetic images go through exactly these functions, so that nothing but the pixels
can tell them apart:
- every master is resampled onto the same canonical matrix, CANONICAL_SIZE x CANONICAL_SIZE px:
  the image is scaled (Lanczos) so that its longer physical side fills the matrix with square
  pixels, then centred and padded with its own background value (CT: -1024 HU = air);
- every file is a PNG written by the same encoder at the same settings and then rewritten
  with only its critical chunks (IHDR, IDAT, IEND): no text, time, gamma, ICC, pHYs or EXIF;
- masters are 16-bit grayscale (CT: HU + 1024; other modalities: their own 16-bit values),
  display renditions 8-bit grayscale at the default window, thumbnails 8-bit THUMB_SIZE px.
Windowing follows the linear VOI LUT function of DICOM PS3.3 C.11.2.1.2.1.
"""
from __future__ import annotations

import hashlib
import io
import struct
import zlib
from dataclasses import dataclass

import numpy as np
from PIL import Image as PILImage

from gan_engine.hu import HU_OFFSET  # CT master value = HU + 1024 (air, -1024 HU, is 0)

CANONICAL_SIZE = 512  # px, masters and display renditions
THUMB_SIZE = 128  # px
PNG_COMPRESS_LEVEL = 6
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CRITICAL_CHUNKS = frozenset({b"IHDR", b"IDAT", b"IEND"})

# CT presets in HU (to be reviewed by a radiologist; same values as STACK.md and the viewer keys).
CT_PRESETS = (
    {"name": "Soft tissue", "center": 40.0, "width": 400.0},
    {"name": "Lung", "center": -600.0, "width": 1500.0},
    {"name": "Mediastinum", "center": 50.0, "width": 350.0},
    {"name": "Bone", "center": 300.0, "width": 2000.0},
    {"name": "Brain", "center": 40.0, "width": 80.0},
)
CT_DEFAULT_PRESET = "Soft tissue"
# Other modalities: windows from the image's own value distribution, the same rule for every origin
# (a window copied from a real file's header would be a tell that synthetic images lack).
AUTO_PERCENTILES = (1.0, 99.0)


@dataclass(frozen=True)
class Renditions:
    """The encoded files of one image and what the viewer needs to know about them."""

    master_png: bytes
    display_png: bytes
    thumb_png: bytes
    width: int
    height: int
    pixel_spacing_mm: float | None
    window_center: float
    window_width: float
    window_presets: list[dict]


def to_master_values(pixels: np.ndarray, *, is_hu: bool) -> np.ndarray:
    """Pixel values -> float64 master values in [0, 65535].

    is_hu: `pixels` are Hounsfield units; the master holds HU + 1024, clipped (below -1024 HU is air).
    Otherwise the values must already lie in [0, 65535] (16-bit stored values)."""
    arr = np.asarray(pixels, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(f"expected one 2-D image, got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError("pixel values contain NaN or infinity")
    if is_hu:
        return np.clip(arr + HU_OFFSET, 0, 65535)
    if arr.size and (arr.min() < 0 or arr.max() > 65535):
        raise ValueError(f"non-HU pixel values must lie in [0, 65535], got [{arr.min()}, {arr.max()}]")
    return arr


def resample_to_canonical(values: np.ndarray, *, spacing_mm: tuple[float, float] | None,
                          background: float, size: int = CANONICAL_SIZE) -> tuple[np.ndarray, np.ndarray, float | None]:
    """Scale a 2-D array so its longer physical side is `size` px with square pixels, pad to size x size.

    spacing_mm: (row, column) pixel spacing in mm, or None for square pixels of unknown size.
    Returns (canonical float array, the unpadded scaled array, new pixel spacing in mm or None)."""
    rows, cols = values.shape
    row_mm, col_mm = spacing_mm if spacing_mm else (1.0, 1.0)
    height_mm, width_mm = rows * row_mm, cols * col_mm
    pixel_mm = max(height_mm, width_mm) / size
    new_h = max(1, min(size, round(height_mm / pixel_mm)))
    new_w = max(1, min(size, round(width_mm / pixel_mm)))
    if (new_h, new_w) == (rows, cols):
        scaled = values.astype(np.float64)
    else:
        image = PILImage.fromarray(values.astype(np.float32))
        scaled = np.asarray(image.resize((new_w, new_h), PILImage.Resampling.LANCZOS), dtype=np.float64)
        scaled = np.clip(scaled, 0, 65535)  # Lanczos overshoots at sharp edges
    canvas = np.full((size, size), background, dtype=np.float64)
    top, left = (size - new_h) // 2, (size - new_w) // 2
    canvas[top:top + new_h, left:left + new_w] = scaled
    return canvas, scaled, (pixel_mm if spacing_mm else None)


def window_presets(modality: str, display_values: np.ndarray, *, is_hu: bool) -> tuple[list[dict], dict]:
    """Window presets and the default one, in display units (HU for CT masters).

    CT in HU: the fixed presets above. Anything else: "Auto" from the 1st-99th percentiles of the
    image itself and "Full range" from its minimum and maximum."""
    if is_hu:
        presets = [dict(p) for p in CT_PRESETS]
        return presets, next(p for p in presets if p["name"] == CT_DEFAULT_PRESET)
    lo, hi = (float(v) for v in np.percentile(display_values, AUTO_PERCENTILES))
    vmin, vmax = float(display_values.min()), float(display_values.max())
    auto = {"name": "Auto", "center": round((lo + hi) / 2, 2), "width": round(max(hi - lo, 1.0), 2)}
    full = {"name": "Full range", "center": round((vmin + vmax) / 2, 2), "width": round(max(vmax - vmin, 1.0), 2)}
    return [auto, full], auto


def apply_window(display_values: np.ndarray, center: float, width: float) -> np.ndarray:
    """Linear VOI LUT (DICOM PS3.3 C.11.2.1.2.1) to 8 bits."""
    width = max(float(width), 1.0)
    lower = center - 0.5 - (width - 1) / 2
    upper = center - 0.5 + (width - 1) / 2
    out = ((display_values - (center - 0.5)) / max(width - 1, 1e-9) + 0.5) * 255.0
    out = np.where(display_values <= lower, 0.0, np.where(display_values > upper, 255.0, out))
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def encode_png(array: np.ndarray) -> bytes:
    """A grayscale PNG (8-bit for uint8, 16-bit for uint16) holding nothing but IHDR, IDAT and IEND."""
    if array.dtype not in (np.uint8, np.uint16) or array.ndim != 2:
        raise ValueError(f"expected a 2-D uint8 or uint16 array, got {array.dtype} {array.shape}")
    buffer = io.BytesIO()
    PILImage.fromarray(array).save(buffer, format="PNG", compress_level=PNG_COMPRESS_LEVEL, optimize=False)
    return strip_png(buffer.getvalue())


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, payload) of every chunk in a PNG; raises ValueError on a malformed file."""
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG")
    chunks, pos = [], len(PNG_SIGNATURE)
    while pos < len(data):
        if pos + 8 > len(data):
            raise ValueError("truncated PNG chunk header")
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        payload = data[pos + 8:pos + 8 + length]
        if len(payload) != length or pos + 12 + length > len(data):
            raise ValueError("truncated PNG chunk")
        chunks.append((kind, payload))
        pos += 12 + length
    return chunks


def strip_png(data: bytes) -> bytes:
    """Rewrite a PNG keeping only IHDR, the IDAT chunks (joined into one) and IEND."""
    chunks = png_chunks(data)
    ihdr = next(payload for kind, payload in chunks if kind == b"IHDR")
    idat = b"".join(payload for kind, payload in chunks if kind == b"IDAT")

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    return PNG_SIGNATURE + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_renditions(pixels: np.ndarray, *, is_hu: bool, modality: str,
                    pixel_spacing_mm: float | tuple[float, float] | None) -> Renditions:
    """The whole pipeline for one 2-D image (HU if `is_hu`, else 16-bit stored values)."""
    values = to_master_values(pixels, is_hu=is_hu)
    if isinstance(pixel_spacing_mm, (int, float)):
        spacing = (float(pixel_spacing_mm), float(pixel_spacing_mm))
    else:
        spacing = tuple(float(v) for v in pixel_spacing_mm) if pixel_spacing_mm else None
    if spacing is not None and (not all(np.isfinite(spacing)) or min(spacing) <= 0):
        spacing = None  # unusable header value: treat pixels as square of unknown size
    background = 0.0 if is_hu else float(values.min()) if values.size else 0.0
    canvas, scaled, new_spacing = resample_to_canonical(values, spacing_mm=spacing, background=background)
    master = np.rint(canvas).astype(np.uint16)
    offset = -HU_OFFSET if is_hu else 0
    presets, default = window_presets(modality, np.rint(scaled) + offset, is_hu=is_hu)
    display = apply_window(master.astype(np.float64) + offset, default["center"], default["width"])
    thumb_image = PILImage.fromarray(display).resize((THUMB_SIZE, THUMB_SIZE), PILImage.Resampling.LANCZOS)
    return Renditions(
        master_png=encode_png(master), display_png=encode_png(display),
        thumb_png=encode_png(np.asarray(thumb_image, dtype=np.uint8)),
        width=CANONICAL_SIZE, height=CANONICAL_SIZE,
        pixel_spacing_mm=round(new_spacing, 6) if new_spacing else None,
        window_center=float(default["center"]), window_width=float(default["width"]), window_presets=presets,
    )

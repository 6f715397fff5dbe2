"""Read PNG/TIFF/JPEG pictures as grey float frames, keeping Pillow's decompression-bomb limit."""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gan_engine.data.dicom import LUMA_WEIGHTS, DataError

RASTER_SUFFIXES = (".png", ".tif", ".tiff", ".jpg", ".jpeg")


@dataclass(frozen=True)
class RasterImage:
    """Grey frames of a picture file.

    frames: float32 [F, H, W] in [0, 1] (a multi-page TIFF gives F > 1); 0 = black.
    bits:   bits per sample of the source (8 or 16; 32 for float TIFF).
    """

    frames: np.ndarray
    bits: int


def _frame_to_grey(image) -> tuple[np.ndarray, int]:
    """One Pillow frame -> float32 [H, W] in [0, 1] and its bit depth."""
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N"):
        return np.asarray(image, dtype=np.uint16).astype(np.float32) / 65535.0, 16
    if mode == "I":  # 32-bit int, used by Pillow for 16-bit PNG greys
        arr = np.asarray(image, dtype=np.int64)
        bits = 16 if arr.max(initial=0) <= 65535 and arr.min(initial=0) >= 0 else 32
        return (np.clip(arr, 0, 2**bits - 1) / float(2**bits - 1)).astype(np.float32), bits
    if mode == "F":
        arr = np.asarray(image, dtype=np.float32)
        low, high = float(arr.min()), float(arr.max())
        return ((arr - low) / (high - low) if high > low else np.zeros_like(arr)), 32
    if mode in ("1", "L", "P", "LA", "PA"):
        grey = image.convert("L")
        return np.asarray(grey, dtype=np.float32) / 255.0, 8
    rgb = np.asarray(image.convert("RGB"), dtype=np.float32) / 255.0
    return rgb @ LUMA_WEIGHTS, 8


def read_raster(path: str | Path, *, max_frames: int = 1024) -> RasterImage:
    """Decode a PNG, TIFF or JPEG file into grey frames in [0, 1] (8- and 16-bit supported).

    Pillow's Image.MAX_IMAGE_PIXELS is kept and its DecompressionBombWarning is raised as an
    error, checked from the header before the pixels are decoded. Raises DataError with the reason.
    """
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                frames, bits = [], 8
                for index in range(getattr(image, "n_frames", 1)):
                    if index >= max_frames:
                        raise DataError(f"more than {max_frames} pages")
                    image.seek(index)
                    grey, bits = _frame_to_grey(image)
                    frames.append(grey)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise DataError(f"image too large (possible decompression bomb): {exc}") from None
    except UnidentifiedImageError:
        raise DataError("not a readable PNG, TIFF or JPEG image") from None
    except DataError:
        raise
    except (OSError, ValueError, SyntaxError) as exc:  # truncated or corrupt streams
        raise DataError(f"cannot decode the image: {exc}") from None
    shapes = {f.shape for f in frames}
    if len(shapes) != 1:
        raise DataError(f"pages differ in size: {sorted(shapes)}")
    return RasterImage(frames=np.stack(frames).astype(np.float32), bits=bits)

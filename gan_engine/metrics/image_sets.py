"""Reading image sets from disk for evaluation: a folder of PNGs, an .npz or an .npy.

Conventions (shared with `python -m gan_engine sample`):
    16-bit PNG      Hounsfield units + 1024 (the platform's CT masters) -> hu_to_unit -> [-1, 1]
    8-bit PNG       display grey levels 0..255 mapped linearly to [-1, 1] (no HU meaning)
    .npz            "images" (already [-1, 1]) or "hu" (HU, as `sample --npz` writes) or "features"
    .npy            a 4-D [n, 1, H, W] / 3-D [n, H, W] array in [-1, 1], or 2-D features [n, d]
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from gan_engine.hu import HU_OFFSET

PNG_SUFFIXES = (".png",)


class ImageSetError(ValueError):
    """A path that does not hold a readable image set (the message says why)."""


def _read_png(path: Path) -> np.ndarray:
    from PIL import Image

    from gan_engine.data.intensity import hu_to_unit

    with Image.open(path) as image:
        if image.mode in ("I;16", "I;16B", "I;16L", "I"):
            hu = np.asarray(image, dtype=np.float32) - HU_OFFSET
            return np.asarray(hu_to_unit(hu), dtype=np.float32)
        if image.mode != "L":
            image = image.convert("L")
        return np.asarray(image, dtype=np.float32) / 127.5 - 1.0


def load_image_set(path: str | Path) -> np.ndarray:
    """Images float32 [n, 1, H, W] in [-1, 1] (or features [n, d] from an npz/npy) from `path`.

    Raises ImageSetError for a missing path, an empty folder, unreadable files or mixed sizes.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in PNG_SUFFIXES)
        if not files:
            raise ImageSetError(f"no .png images in folder {path}")
        try:
            images = [_read_png(p) for p in files]
        except OSError as exc:
            raise ImageSetError(f"could not read an image in {path}: {exc}") from None
        shapes = {im.shape for im in images}
        if len(shapes) != 1 or len(next(iter(shapes))) != 2:
            raise ImageSetError(f"images in {path} must be greyscale and of one size, got {sorted(shapes)}")
        return np.stack(images)[:, None]
    if not path.is_file():
        raise ImageSetError(f"no such file or folder: {path}")
    try:
        if path.suffix == ".npy":
            array = np.load(path, allow_pickle=False)
        elif path.suffix == ".npz":
            with np.load(path, allow_pickle=False) as data:
                if "images" in data:
                    array = data["images"]
                elif "hu" in data:
                    from gan_engine.data.intensity import hu_to_unit
                    array = np.asarray(hu_to_unit(data["hu"].astype(np.float32)))
                elif "features" in data:
                    array = data["features"]
                else:
                    raise ImageSetError(f"{path} has arrays {data.files}; expected 'images', 'hu' or 'features'")
        else:
            raise ImageSetError(f"unsupported file {path}: expected a folder of PNGs, .npz or .npy")
    except (OSError, ValueError) as exc:
        if isinstance(exc, ImageSetError):
            raise
        raise ImageSetError(f"could not read {path}: {exc}") from None
    array = np.asarray(array, dtype=np.float32)
    if array.ndim == 3:
        array = array[:, None]
    if array.ndim not in (2, 4):
        raise ImageSetError(f"{path}: expected images [n, 1, H, W] or features [n, d], got shape {array.shape}")
    return array

"""A synthetic CT phantom with known Hounsfield-unit regions, written as the imaging store's 16-bit
PNG masters (stored value = HU + 1024), so browser tests can check rendered grey levels against the
window formula. Three slices differ only in the `marker` square, so tests can tell them apart."""
from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
from PIL import Image

SIZE = 256  # px, square
CT_OFFSET = 1024  # stored = HU + 1024
MARKER_HU = (-400, 0, 400)  # the marker square's HU on slices 1, 2, 3

# Region name -> (column, row) of a pixel well inside it, and its HU.
REGIONS = {
    "air": ((8, 8), -1000),
    "tissue": ((128, 165), 40),
    "lung": ((83, 128), -850),
    "bone": ((128, 205), 700),
}
MARKER_AT = (128, 70)


def phantom_hu(index: int) -> np.ndarray:
    """int16 [SIZE, SIZE] HU for slice `index` (0, 1 or 2)."""
    rows, cols = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32)
    hu = np.full((SIZE, SIZE), -1000, dtype=np.int16)
    body = ((cols - 128) / 115) ** 2 + ((rows - 135) / 100) ** 2 <= 1
    hu[body] = 40
    for cx in (83, 173):  # the patient's right lung on the left of the screen, as displayed
        hu[((cols - cx) / 32) ** 2 + ((rows - 128) / 52) ** 2 <= 1] = -850
    hu[(cols - 128) ** 2 + (rows - 205) ** 2 <= 14**2] = 700
    hu[58:83, 116:141] = MARKER_HU[index]
    return hu


@lru_cache(maxsize=8)
def phantom_png(index: int) -> bytes:
    """PNG bytes (16-bit grayscale) of phantom slice `index`."""
    return png16(phantom_hu(index).astype(np.int32) + CT_OFFSET)


def png16(stored: np.ndarray) -> bytes:
    """Encode non-negative integers < 2**16 as a 16-bit grayscale PNG."""
    image = Image.fromarray(np.clip(stored, 0, 65535).astype(np.uint16))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    data = buffer.getvalue()
    assert data[24] == 16, "Pillow wrote an 8-bit PNG"  # IHDR bit depth
    return data


def window_grey(hu: float, center: float, width: float) -> int:
    """The DICOM PS3.3 C.11.2.1.2.1 linear VOI function to 0..255, as the viewer's lut.js."""
    w = max(width, 1)
    if hu <= center - 0.5 - (w - 1) / 2:
        return 0
    if hu > center - 0.5 + (w - 1) / 2:
        return 255
    return int(np.floor(((hu - (center - 0.5)) / (w - 1) + 0.5) * 255 + 0.5))

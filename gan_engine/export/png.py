"""16-bit grayscale PNG masters (stored = HU + 1024) carrying their provenance in text chunks.

Chunks written (PNG 1.2 / ISO 15948, section 11.3.4): iTXt "radturing:provenance" (the
Provenance JSON), iTXt "Disclaimer" ("SYNTHETIC – NOT FOR CLINICAL USE"), and tEXt key fields
for tools that only read tEXt: Software, Source (model name + version), "radturing:seed",
"radturing:checkpoint_sha256", "radturing:hu_offset" (1024), "radturing:pixel_spacing_mm".
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, PngImagePlugin

from gan_engine.data.intensity import DEFAULT_HU_RANGE
from gan_engine.export.pixels import as_hu_stack, hu_to_stored, stored_to_hu
from gan_engine.hu import HU_OFFSET
from gan_engine.export.provenance import Provenance
from gan_engine.export.validation import SYNTHETIC_COMMENT

PROVENANCE_KEY = "radturing:provenance"
DISCLAIMER_KEY = "Disclaimer"
_SIXTEEN_BIT_MODES = ("I;16", "I;16B", "I")


def export_png(image: Any, *, provenance: Provenance, path: str | os.PathLike[str],
               pixel_values: str = "unit", hu_range: tuple[float, float] = DEFAULT_HU_RANGE,
               spacing_mm: tuple[float, float] | None = None) -> Path:
    """Write one image as a 16-bit PNG (HU + 1024) with provenance text chunks; return the path.

    image: (rows, cols) or a stack of one; pixel_values "unit" ([-1, 1] over `hu_range` HU) or
    "hu". provenance must hold a single condition (this image's). spacing_mm: (row, col) mm.
    """
    hu = as_hu_stack(image, pixel_values=pixel_values, hu_range=hu_range)
    if len(hu) != 1:
        raise ValueError(f"export_png writes one image, got {len(hu)}")
    if len(provenance.conditions) != 1:
        raise ValueError("a PNG's provenance holds exactly one condition (use for_image(i))")
    info = PngImagePlugin.PngInfo()
    info.add_itxt(PROVENANCE_KEY, provenance.to_json())
    info.add_itxt(DISCLAIMER_KEY, SYNTHETIC_COMMENT)
    info.add_text("Software", provenance.software_version)
    info.add_text("Source", f"{provenance.model_name} {provenance.model_version}")
    info.add_text("radturing:seed", str(provenance.seed))
    info.add_text("radturing:checkpoint_sha256", provenance.checkpoint_sha256)
    info.add_text("radturing:hu_offset", str(HU_OFFSET))
    if spacing_mm is not None:
        info.add_text("radturing:pixel_spacing_mm", f"{spacing_mm[0]!r}\\{spacing_mm[1]!r}")
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".png.tmp")
    Image.fromarray(hu_to_stored(hu[0])).save(tmp, format="PNG", pnginfo=info)
    os.replace(tmp, out)
    return out


def read_png(path: str | os.PathLike[str]) -> tuple[np.ndarray, Provenance]:
    """(HU image as int32, provenance) from a PNG written by `export_png`."""
    with Image.open(path) as im:  # Image.open enforces Pillow's MAX_IMAGE_PIXELS before decoding
        if im.format != "PNG" or im.mode not in _SIXTEEN_BIT_MODES:
            raise ValueError(f"{path}: expected a 16-bit grayscale PNG, got {im.format} {im.mode}")
        im.load()
        text = dict(getattr(im, "text", {}))
        stored = np.asarray(im)
    if text.get(DISCLAIMER_KEY) != SYNTHETIC_COMMENT:
        raise ValueError(f"{path}: the synthetic-data disclaimer chunk is missing")
    if text.get("radturing:hu_offset") != str(HU_OFFSET):
        raise ValueError(f"{path}: unexpected HU offset {text.get('radturing:hu_offset')!r}")
    if PROVENANCE_KEY not in text:
        raise ValueError(f"{path}: no {PROVENANCE_KEY} chunk")
    if stored.min() < 0 or stored.max() > 65535:
        raise ValueError(f"{path}: pixel values outside 16 bits")
    return stored_to_hu(stored), Provenance.from_json(text[PROVENANCE_KEY])


def read_png_provenance(path: str | os.PathLike[str]) -> Provenance:
    """The provenance of a PNG written by `export_png` (reads only the text chunks)."""
    with Image.open(path) as im:
        text = dict(getattr(im, "text", {}))
    if PROVENANCE_KEY not in text:
        raise ValueError(f"{path}: no {PROVENANCE_KEY} chunk")
    return Provenance.from_json(text[PROVENANCE_KEY])

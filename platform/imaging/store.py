"""Storing an image: the single entry point for real (ingest) and synthetic (generation) images.

    from imaging.store import create_image
    image = create_image(owner=user, pixels=hu_array, is_hu=True, modality="CT", origin="synthetic",
                         provenance={"model": ..., "version": ..., "seed": 7, "conditions": {...}},
                         pixel_spacing_mm=0.7, collection=collection)
"""
from __future__ import annotations

import secrets

import numpy as np
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from imaging.models import CollectionKind, Image, ImageCollection, ImageSeries, Origin
from imaging.renditions import make_renditions, sha256


def _storage_folder() -> str:
    # A random folder unrelated to the token, the origin or the source: paths tell nothing either.
    key = secrets.token_hex(16)
    return f"images/{key[:2]}/{key}"


def create_image(*, owner, pixels: np.ndarray, is_hu: bool, modality: str, origin: str,
                 provenance: dict | None = None, series: ImageSeries | None = None, position: int = 0,
                 pixel_spacing_mm: float | tuple[float, float] | None = None,
                 collection: ImageCollection | None = None, source_header: dict | None = None,
                 ingest_file=None) -> Image:
    """Write the master and renditions of one 2-D image and return its saved `Image`.

    pixels: 2-D array; Hounsfield units when `is_hu` (stored as HU + 1024), otherwise 16-bit
            stored values in [0, 65535] (ValueError outside).
    origin: "real" or "synthetic" (recorded, never served to readers).
    pixel_spacing_mm: square pixel size, or (row, column) spacing, of `pixels` in mm; the stored
            spacing is that of the canonical 512 x 512 master.
    """
    if origin not in Origin.values:
        raise ValueError(f"origin must be one of {Origin.values}, got {origin!r}")
    modality = (modality or "OT").strip().upper()[:16] or "OT"
    if collection is not None and collection.kind not in (CollectionKind.MIXED, origin):
        collection.kind = CollectionKind.MIXED  # a real set that gains a synthetic image, or the reverse
        collection.save(update_fields=["kind"])
    arr = np.asarray(pixels)
    rend = make_renditions(arr, is_hu=is_hu, modality=modality, pixel_spacing_mm=pixel_spacing_mm)
    folder = _storage_folder()
    names = []
    try:
        for kind, data in (("master", rend.master_png), ("display", rend.display_png), ("thumb", rend.thumb_png)):
            names.append(default_storage.save(f"{folder}/{kind}.png", ContentFile(data)))
        image = Image(
            owner=owner, collection=collection, series=series, position=position, origin=origin,
            modality=modality, is_hu=is_hu, width=rend.width, height=rend.height,
            pixel_spacing_mm=rend.pixel_spacing_mm, source_height=arr.shape[0], source_width=arr.shape[1],
            window_center=rend.window_center, window_width=rend.window_width, window_presets=rend.window_presets,
            master=names[0], display=names[1], thumb=names[2],
            master_sha256=sha256(rend.master_png), display_sha256=sha256(rend.display_png),
            thumb_sha256=sha256(rend.thumb_png),
            provenance=provenance or {}, source_header=source_header or {}, ingest_file=ingest_file,
        )
        image.save()
    except BaseException:
        for name in names:
            default_storage.delete(name)
        raise
    return image


def delete_image_files(image: Image) -> None:
    """Remove an image's files from storage (called when the row is deleted)."""
    for field in (image.master, image.display, image.thumb):
        if field and field.name:
            default_storage.delete(field.name)

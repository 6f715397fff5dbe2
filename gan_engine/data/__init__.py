"""The engine's data layer: the example chest CT, HU helpers, nodule insertion, training sets and
users' own image folders.

    LabelledCTDataset(size=64, *, seed=0, augment=True, hu_range=DEFAULT_HU_RANGE,
                      finding_probs=None, length=10_000)        the training contract (labelled.py)
    example_slices(size, window=None) / real_images(n, size, seed)  real sets for metrics
    insert_nodule(hu_slice, lung_mask, spacing_mm, *, finding, diameter_mm, centre_rc=None,
                  margin="smooth", rng) -> InsertedLesion          (lesions.py)
    load_example_ct() -> ExampleCT                                  (example_ct.py)
    hu_to_unit / unit_to_hu / apply_window / WINDOW_PRESETS        (intensity.py)
    read_dicom_frames / read_dicom_values / read_raster / load_folder / UserFolderDataset / DataError
    render_drr(volume_hu, spacing_mm) -> radiograph                 (drr.py)

Names resolve on first use (PEP 562) so that importing the package stays cheap.
"""
from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "LabelledCTDataset": "gan_engine.data.labelled",
    "example_slices": "gan_engine.data.labelled",
    "real_images": "gan_engine.data.labelled",
    "insert_nodule": "gan_engine.data.lesions",
    "InsertedLesion": "gan_engine.data.lesions",
    "LESION_FINDINGS": "gan_engine.data.lesions",
    "MARGINS": "gan_engine.data.lesions",
    "load_example_ct": "gan_engine.data.example_ct",
    "ExampleCT": "gan_engine.data.example_ct",
    "DEFAULT_HU_RANGE": "gan_engine.data.intensity",
    "WINDOW_PRESETS": "gan_engine.data.intensity",
    "hu_to_unit": "gan_engine.data.intensity",
    "unit_to_hu": "gan_engine.data.intensity",
    "apply_window": "gan_engine.data.intensity",
    "DataError": "gan_engine.data.dicom",
    "DicomImage": "gan_engine.data.dicom",
    "DicomValues": "gan_engine.data.dicom",
    "read_dicom_values": "gan_engine.data.dicom",
    "read_dicom_frames": "gan_engine.data.dicom",
    "RasterImage": "gan_engine.data.raster",
    "read_raster": "gan_engine.data.raster",
    "load_folder": "gan_engine.data.user_folder",
    "read_labels": "gan_engine.data.user_folder",
    "FolderReport": "gan_engine.data.user_folder",
    "LoadedImage": "gan_engine.data.user_folder",
    "UserFolderDataset": "gan_engine.data.user_folder",
    "render_drr": "gan_engine.data.drr",
}

__all__ = list(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gan_engine.data' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)

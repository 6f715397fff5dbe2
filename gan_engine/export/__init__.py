"""Export synthetic images: DICOM Secondary Capture (single study or progression) and 16-bit PNG.

Public API:
    Provenance                                            what made an image (stored by the platform too)
    export_dicom(images, *, provenance, out_dir, patient=None, spacing_mm=(0.7, 0.7), ...) -> list[Path]
    export_progression_dicom(frames, *, provenance, out_dir, interval_days, patient=None, ...) -> list[Path]
    read_synthetic_dicom(path) -> (hu, Provenance)
    export_png(image, *, provenance, path, ...) -> Path
    read_png(path) -> (hu, Provenance);  read_png_provenance(path) -> Provenance
    secondary_capture_problems(ds) -> list[str];  validate_secondary_capture(ds)
"""
from __future__ import annotations

from gan_engine.export.dicom import (
    export_dicom,
    export_progression_dicom,
    read_synthetic_dicom,
)
from gan_engine.export.png import export_png, read_png, read_png_provenance
from gan_engine.export.provenance import Provenance
from gan_engine.export.validation import (
    SECONDARY_CAPTURE_SOP_CLASS,
    SYNTHETIC_COMMENT,
    InvalidSyntheticDicom,
    secondary_capture_problems,
    validate_secondary_capture,
)

__all__ = [
    "SECONDARY_CAPTURE_SOP_CLASS", "SYNTHETIC_COMMENT", "InvalidSyntheticDicom", "Provenance",
    "export_dicom", "export_png", "export_progression_dicom", "read_png", "read_png_provenance",
    "read_synthetic_dicom", "secondary_capture_problems", "validate_secondary_capture",
]

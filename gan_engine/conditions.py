"""What a synthetic image is conditioned on: the finding, its severity and where it sits.

This is the contract between data, models, sampling, progression, export and the platform.
Every piece of code that labels, generates or describes an image uses these names.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from gan_engine.records import from_record

# Index order is part of the checkpoint format: append new classes, never reorder.
FINDING_CLASSES: tuple[str, ...] = (
    "normal",               # no lesion
    "solid_nodule",         # soft-tissue attenuation throughout
    "part_solid_nodule",    # ground-glass halo with a solid core
    "ground_glass_nodule",  # hazy, vessels still visible through it
)

# Severity 0..1 maps linearly to nodule diameter in millimetres (Fleischner range of interest).
MIN_DIAMETER_MM = 4.0
MAX_DIAMETER_MM = 30.0


def severity_to_diameter_mm(severity: float) -> float:
    """Nodule diameter (mm) for a severity in [0, 1]; linear between 4 and 30 mm."""
    s = min(max(float(severity), 0.0), 1.0)
    return MIN_DIAMETER_MM + s * (MAX_DIAMETER_MM - MIN_DIAMETER_MM)


def diameter_mm_to_severity(diameter_mm: float) -> float:
    """Inverse of `severity_to_diameter_mm`, clipped to [0, 1]."""
    s = (float(diameter_mm) - MIN_DIAMETER_MM) / (MAX_DIAMETER_MM - MIN_DIAMETER_MM)
    return min(max(s, 0.0), 1.0)


@dataclass(frozen=True)
class Condition:
    """One image's conditioning.

    finding:  a name from FINDING_CLASSES.
    severity: 0..1, nodule size (see severity_to_diameter_mm); ignored for "normal".
    x, y:     lesion centre as a fraction of image width/height (0,0 = top-left pixel corner);
              ignored for "normal".
    """

    finding: str = "normal"
    severity: float = 0.0
    x: float = 0.5
    y: float = 0.5

    def __post_init__(self) -> None:
        if self.finding not in FINDING_CLASSES:
            raise ValueError(
                f"unknown finding {self.finding!r}; expected one of {', '.join(FINDING_CLASSES)}"
            )
        for name in ("severity", "x", "y"):
            value = getattr(self, name)
            if not 0.0 <= float(value) <= 1.0:
                raise ValueError(f"{name} must lie in [0, 1], got {value!r}")

    @property
    def finding_index(self) -> int:
        return FINDING_CLASSES.index(self.finding)

    @property
    def has_lesion(self) -> bool:
        return self.finding != "normal"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Condition":
        return from_record(cls, data, what="condition")

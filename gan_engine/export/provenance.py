"""Where a synthetic image came from: the record written into every exported DICOM and PNG.

The platform stores the same `to_dict()` next to each generated case, so a file found on a disk
can be traced back to the model, the checkpoint bytes, the seed and the conditions.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from gan_engine.conditions import Condition

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _default_software_version() -> str:
    from gan_engine import __version__

    return f"gan_engine {__version__}"


@dataclass(frozen=True)
class Provenance:
    """Provenance of one export.

    model_name:        human name of the generator, e.g. "radturing-chest-gan".
    model_version:     the model's version string.
    checkpoint_sha256: SHA-256 of the checkpoint's weights file, 64 lower-case hex digits.
    seed:              the sampling seed (>= 0).
    conditions:        one Condition per image, or a single one shared by all images.
    software_version:  the exporting software, "gan_engine <version>" by default.
    """

    model_name: str
    model_version: str
    checkpoint_sha256: str
    seed: int
    conditions: tuple[Condition, ...]
    software_version: str = field(default_factory=_default_software_version)

    def __post_init__(self) -> None:
        conditions = tuple(
            c if isinstance(c, Condition) else Condition.from_dict(dict(c)) for c in self.conditions
        )
        object.__setattr__(self, "conditions", conditions)
        if not conditions:
            raise ValueError("provenance needs at least one condition")
        if not _SHA256.match(self.checkpoint_sha256):
            raise ValueError(
                f"checkpoint_sha256 must be 64 lower-case hex digits, got {self.checkpoint_sha256!r}"
            )
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {self.seed!r}")
        for name in ("model_name", "model_version", "software_version"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{name} must be a non-empty string, got {value!r}")

    def condition_for(self, index: int) -> Condition:
        """The condition of image `index` (the shared one when a single condition was given)."""
        if len(self.conditions) == 1:
            return self.conditions[0]
        return self.conditions[index]

    def for_image(self, index: int) -> "Provenance":
        """This provenance narrowed to image `index` (a single condition)."""
        return Provenance(self.model_name, self.model_version, self.checkpoint_sha256, self.seed,
                          (self.condition_for(index),), self.software_version)

    def check_count(self, n_images: int) -> None:
        """Raise ValueError unless there is one condition, or one per image."""
        if len(self.conditions) not in (1, n_images):
            raise ValueError(
                f"provenance has {len(self.conditions)} conditions for {n_images} images; "
                "give one shared condition or one per image"
            )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; conditions as Condition.to_dict() dicts. The platform stores this."""
        return {
            "model_name": self.model_name,
            "model_version": self.model_version,
            "checkpoint_sha256": self.checkpoint_sha256,
            "seed": self.seed,
            "conditions": [c.to_dict() for c in self.conditions],
            "software_version": self.software_version,
        }

    def to_json(self) -> str:
        """Compact, key-sorted JSON (the form embedded in files)."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Provenance":
        """Inverse of to_dict; missing or unknown keys are an error."""
        expected = {"model_name", "model_version", "checkpoint_sha256", "seed", "conditions",
                    "software_version"}
        if set(data) != expected:
            raise ValueError(f"provenance keys must be {sorted(expected)}, got {sorted(data)}")
        conditions: Sequence[Any] = data["conditions"]
        return cls(data["model_name"], data["model_version"], data["checkpoint_sha256"],
                   data["seed"], tuple(Condition.from_dict(c) for c in conditions),
                   data["software_version"])

    @classmethod
    def from_json(cls, text: str) -> "Provenance":
        """Inverse of to_json."""
        return cls.from_dict(json.loads(text))

"""What a generation job is asked to make, checked once for the API, the form and the task alike.

`GenerationSpec.from_params(params, model)` raises ValueError with a sentence a user can act on;
the API turns it into a 400, the task into a failed job with that message (nothing saved).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from gan_engine.conditions import FINDING_CLASSES, Condition
from gan_engine.placement import check_placement

KINDS = ("images", "progression", "patient_cases")
KIND_LABELS = {"images": "Images under one condition", "progression": "Progression series (one patient over time)",
               "patient_cases": "Patient-model cases (profile, finding, Brock risk, Fleischner answer)"}
SCHEDULES = ("growth", "regression", "stable")
PLACEMENT_LABELS = {"lung": "Inside the patient's lung (moved to the nearest place it fits)",
                    "exact": "Exactly at the position given"}
MAX_IMAGES = 256
MAX_PROGRESSION_STEPS = 24
MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class GenerationSpec:
    kind: str = "images"
    n: int = 8                      # images or cases (images, patient_cases)
    seed: int = 0                   # image i uses seed + i; progression: one patient from seed
    finding: str = "solid_nodule"   # patient_cases: "" lets the patient model draw it
    severity: float = 0.5           # 0..1 (nodule diameter 4..30 mm)
    x: float = 0.3                  # lesion centre, fraction of the width
    y: float = 0.45                 # lesion centre, fraction of the height
    schedule: str = "growth"        # progression only
    steps: int = 6                  # progression time points
    truncation: float = 1.0         # latent truncation psi in (0, 1]
    placement: str = "lung"         # "lung": a nodule goes where it fits in this patient's lung; "exact"

    @property
    def condition(self) -> Condition:
        return Condition(self.finding or "normal", self.severity, self.x, self.y)

    def to_params(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_params(cls, params: dict[str, Any], model=None) -> "GenerationSpec":
        """Build and check a spec from JSON-like params (unknown keys are ignored, e.g. gan_model)."""
        known = {k: params[k] for k in cls.__dataclass_fields__ if k in params and params[k] is not None}
        try:
            spec = cls(**{k: _coerce(k, v) for k, v in known.items()})
        except (TypeError, ValueError) as exc:
            raise ValueError(str(exc)) from None
        spec.check(model)
        return spec

    def check(self, model=None) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        if not 1 <= self.n <= MAX_IMAGES:
            raise ValueError(f"n must lie in 1..{MAX_IMAGES}, got {self.n}")
        if not 0 <= self.seed <= MAX_SEED:
            raise ValueError(f"seed must lie in 0..{MAX_SEED}, got {self.seed}")
        if not 0 < self.truncation <= 1:
            raise ValueError(f"truncation must lie in (0, 1], got {self.truncation}")
        check_placement(self.placement)
        if self.finding or self.kind != "patient_cases":
            self.condition  # noqa: B018 - Condition checks the finding name and the [0, 1] ranges
        if self.kind == "progression":
            if self.schedule not in SCHEDULES:
                raise ValueError(f"schedule must be one of {', '.join(SCHEDULES)}, got {self.schedule!r}")
            if not 2 <= self.steps <= MAX_PROGRESSION_STEPS:
                raise ValueError(f"steps must lie in 2..{MAX_PROGRESSION_STEPS}, got {self.steps}")
            if self.finding == "normal":
                raise ValueError("a progression needs a nodule: choose a finding other than normal")
        if model is not None:
            wanted = self.finding or None
            if wanted and wanted not in model.finding_classes:
                raise ValueError(f"the model {model} cannot make {wanted!r}; it knows "
                                 f"{', '.join(model.finding_classes)}")
            if self.kind in ("progression", "patient_cases") and not model.supports_severity:
                raise ValueError(f"the model {model} has no nodule classes, so it cannot make {self.kind}")


def _coerce(name: str, value: Any) -> Any:
    kind = GenerationSpec.__dataclass_fields__[name].type
    if kind == "int":
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError(f"{name} must be a whole number, got {value!r}")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be a whole number, got {value!r}") from None
    if kind == "float":
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be a number, got {value!r}") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(f"{name} must be a finite number, got {value!r}")
        return number
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, got {value!r}")
    return value


FINDING_CHOICES = [(name, name.replace("_", " ").capitalize()) for name in FINDING_CLASSES]

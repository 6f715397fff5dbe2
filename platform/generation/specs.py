"""What a training, generation or evaluation job is asked to do: one frozen dataclass each, and the
one home of every rule about its parameters (ranges, choices, which model, which collections).

`Spec.from_params(params, user=...)` takes JSON-like values (a form's strings, the API's JSON, a
job row's params), fills in defaults, converts and checks them, and raises `SpecError(field,
sentence)` naming the field to fix. `to_params()` is what the job row stores. The page's form and the
API's serializer hand their input to `from_params` untouched (generation/spec_doors.py) and the
generation and evaluation tasks read their job's params back through it, so every door gives the
same answer to the same value.
"""
from __future__ import annotations

import math
import dataclasses
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from typing import Any

from gan_engine.conditions import FINDING_CLASSES, Condition
from gan_engine.placement import check_placement

from generation.models import GanModel, TrainingSource
from generation.recipes import DEFAULT_RECIPE, build_config
from imaging.models import CollectionKind, ImageCollection

MAX_SEED = 2**31 - 1
NO_SUCH_MODEL = "No such model."

# Training
NAME_PATTERN = re.compile(r"[\w .-]{1,100}")
MAX_DESCRIPTION = 2000
MAX_TRAINING_STEPS = 1_000_000
NOT_A_TRAINING_COLLECTION = "Choose one of your own collections of real images (a synthetic one cannot train a model)."
# A spec field the spec works out itself (never a request value): dataclasses.field(metadata=DERIVED).
DERIVED = {"derived": True}

# Generation: `output` is what a generation job makes.
OUTPUTS = ("images", "progression", "patient_cases")
OUTPUT_LABELS = {"images": "Images under one condition",
                 "progression": "Progression series (one patient over time)",
                 "patient_cases": "Patient-model cases (profile, finding, Brock risk, Fleischner answer)"}
SCHEDULES = ("growth", "regression", "stable")
PLACEMENT_LABELS = {"lung": "Inside the patient's lung (moved to the nearest place it fits)",
                    "exact": "Exactly at the position given"}
FINDING_CHOICES = [(name, name.replace("_", " ").capitalize()) for name in FINDING_CLASSES]
MAX_IMAGES = 256
MIN_PROGRESSION_STEPS, MAX_PROGRESSION_STEPS = 2, 24

# Evaluation
MIN_EVALUATION_IMAGES, MAX_EVALUATION_IMAGES = 4, 2000
MAX_BOOTSTRAP = 2000


class SpecError(ValueError):
    """A job parameter the user must fix: `field` names it as the form and the API do, `sentence`
    says what is wrong (shown as it is)."""

    def __init__(self, field: str, sentence: str) -> None:
        super().__init__(sentence)
        self.field, self.sentence = field, sentence


# --- reading params: absent, None and (for numbers) "" mean "the default" -------------------------

def _whole(params: dict, field: str, default: int | None) -> int | None:
    value = params.get(field)
    if value is None or value == "":
        return default
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise SpecError(field, f"{field} must be a whole number, got {value!r}")
    try:
        return int(value)  # "12" from a form, 12 from JSON
    except (TypeError, ValueError):
        raise SpecError(field, f"{field} must be a whole number, got {value!r}") from None


def _number(params: dict, field: str, default: float) -> float:
    value = params.get(field)
    if value is None or value == "":
        return default
    try:
        number = float(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None:
        raise SpecError(field, f"{field} must be a number, got {value!r}")
    if not math.isfinite(number):
        raise SpecError(field, f"{field} must be a finite number, got {value!r}")
    return number


def _text(params: dict, field: str, default: str) -> str:
    value = params.get(field)
    if value is None:
        return default
    if not isinstance(value, str):
        raise SpecError(field, f"{field} must be text, got {value!r}")
    return value


def _within(field: str, value: int | None, low: int, high: int) -> int | None:
    if value is not None and not low <= value <= high:
        raise SpecError(field, f"{field} must lie in {low}..{high}, got {value}")
    return value


def _one_of(field: str, value: str, choices: Iterable[str]) -> str:
    choices = tuple(choices)
    if value not in choices:
        raise SpecError(field, f"{field} must be one of {', '.join(choices)}, got {value!r}")
    return value


def _engine_rule(field: str, check: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run a gan_engine check (its ValueError names the value): the engine is the home of the rule."""
    try:
        check(*args, **kwargs)
    except ValueError as exc:
        raise SpecError(field, str(exc)) from None


def is_public_id(value: Any) -> bool:
    """Whether `value` can be a public id (a UUID): anything else names no row."""
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def visible_model(user, public_id: Any) -> GanModel:
    """The model `public_id` names if `user` may see it; a model that does not exist and one that is
    not theirs get the same answer."""
    found = GanModel.objects.for_user(user).filter(public_id=public_id).first() if is_public_id(public_id) else None
    if found is None:
        raise SpecError("gan_model", NO_SUCH_MODEL)
    return found


def trainable_collections(user):
    """The one home of "which collections may train a model": the user's own (administrators: any),
    never a synthetic one (a GAN trained on generated images learns their artefacts back)."""
    return ImageCollection.objects.for_user(user).exclude(kind=CollectionKind.SYNTHETIC)


def _params_of(spec: Any) -> dict[str, Any]:
    """The dataclass fields as JSON-ready values: rows are named by their public id."""
    out = {}
    for f in fields(spec):
        value = getattr(spec, f.name)
        out[f.name] = str(value.public_id) if hasattr(value, "public_id") else value
    return out


# --- the three specs ---------------------------------------------------------------------------

@dataclass(frozen=True)
class TrainingSpec:
    name: str                           # the model's name; versions are numbered per name
    config: dict[str, Any] = dataclasses.field(metadata=DERIVED)  # asdict(TrainConfig), resolved now: a resumed job trains with it
    source: str = TrainingSource.EXAMPLE_CT
    collection: ImageCollection | None = None   # source "collection": one of trainable_collections(user)
    recipe: str = DEFAULT_RECIPE        # a key of generation.recipes.RECIPES
    steps: int | None = None            # None: the recipe's
    seed: int | None = None             # None: the recipe's
    description: str = ""

    @classmethod
    def from_params(cls, params: dict[str, Any], *, user) -> "TrainingSpec":
        name = _text(params, "name", "")
        if not name:
            raise SpecError("name", "Give the model a name.")
        if not NAME_PATTERN.fullmatch(name):
            raise SpecError("name", "A name holds up to 100 letters, digits, spaces, dots, dashes and underscores.")
        source = _one_of("source", _text(params, "source", cls.source), TrainingSource.values)
        collection = None
        if source == TrainingSource.COLLECTION:
            chosen = params.get("collection")
            collection = trainable_collections(user).filter(public_id=chosen).first() if is_public_id(chosen) else None
            if collection is None:
                raise SpecError("collection", NOT_A_TRAINING_COLLECTION)
        recipe = _text(params, "recipe", cls.recipe)  # build_config knows the recipes
        steps = _within("steps", _whole(params, "steps", None), 1, MAX_TRAINING_STEPS)
        seed = _within("seed", _whole(params, "seed", None), 0, MAX_SEED)
        description = _text(params, "description", "")
        if len(description) > MAX_DESCRIPTION:
            raise SpecError("description", f"description must be at most {MAX_DESCRIPTION} characters")
        try:
            config = build_config(recipe, steps=steps, seed=seed)
        except ValueError as exc:  # an unknown recipe, or one whose values TrainConfig refuses
            raise SpecError("recipe", str(exc)) from None
        return cls(name=name, config=config, source=source, collection=collection, recipe=recipe, steps=steps,
                   seed=seed, description=description)

    def to_params(self) -> dict[str, Any]:
        return _params_of(self)


@dataclass(frozen=True)
class GenerationSpec:
    gan_model: GanModel             # a model the user may see (GanModel.objects.for_user)
    output: str = "images"          # what to make: one of OUTPUTS
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

    @classmethod
    def from_params(cls, params: dict[str, Any], *, user) -> "GenerationSpec":
        model = visible_model(user, params.get("gan_model"))
        output = _one_of("output", _text(params, "output", cls.output), OUTPUTS)
        n = _within("n", _whole(params, "n", cls.n), 1, MAX_IMAGES)
        seed = _within("seed", _whole(params, "seed", cls.seed), 0, MAX_SEED)
        finding = _text(params, "finding", cls.finding)
        if finding:
            _engine_rule("finding", Condition, finding)
        elif output != "patient_cases":
            raise SpecError("finding", "Only patient cases draw a finding for each patient: choose one.")
        position = {}
        for field in ("severity", "x", "y"):
            position[field] = _number(params, field, getattr(cls, field))
            _engine_rule(field, Condition, **{field: position[field]})
        truncation = _number(params, "truncation", cls.truncation)
        if not 0 < truncation <= 1:
            raise SpecError("truncation", f"truncation must lie in (0, 1], got {truncation}")
        placement = _text(params, "placement", cls.placement)
        _engine_rule("placement", check_placement, placement)
        schedule = _text(params, "schedule", cls.schedule)
        steps = _whole(params, "steps", cls.steps)
        if output == "progression":
            _one_of("schedule", schedule, SCHEDULES)
            _within("steps", steps, MIN_PROGRESSION_STEPS, MAX_PROGRESSION_STEPS)
            if finding == "normal":
                raise SpecError("finding", "a progression needs a nodule: choose a finding other than normal")
        if finding and finding not in model.finding_classes:
            raise SpecError("finding", f"the model {model} cannot make {finding!r}; it knows "
                                       f"{', '.join(model.finding_classes)}")
        if output in ("progression", "patient_cases") and not model.supports_severity:
            raise SpecError("output", f"the model {model} has no nodule classes, so it cannot make {output}")
        return cls(gan_model=model, output=output, n=n, seed=seed, finding=finding, schedule=schedule, steps=steps,
                   truncation=truncation, placement=placement, **position)

    def to_params(self) -> dict[str, Any]:
        return _params_of(self)


@dataclass(frozen=True)
class EvaluationSpec:
    gan_model: GanModel             # a model the user may see (GanModel.objects.for_user)
    n_real: int = 64                # real images compared (at most: a collection may hold fewer)
    n_fake: int = 64                # synthetic images generated for the comparison
    seed: int = 0                   # subsets, bootstrap draws and the fakes' seeds
    n_bootstrap: int = 100          # bootstrap replicates per 95% CI (0: no intervals)

    @classmethod
    def from_params(cls, params: dict[str, Any], *, user) -> "EvaluationSpec":
        model = visible_model(user, params.get("gan_model"))
        n_real = _within("n_real", _whole(params, "n_real", cls.n_real), MIN_EVALUATION_IMAGES, MAX_EVALUATION_IMAGES)
        n_fake = _within("n_fake", _whole(params, "n_fake", cls.n_fake), MIN_EVALUATION_IMAGES, MAX_EVALUATION_IMAGES)
        seed = _within("seed", _whole(params, "seed", cls.seed), 0, MAX_SEED)
        n_bootstrap = _within("n_bootstrap", _whole(params, "n_bootstrap", cls.n_bootstrap), 0, MAX_BOOTSTRAP)
        return cls(gan_model=model, n_real=n_real, n_fake=n_fake, seed=seed, n_bootstrap=n_bootstrap)

    def to_params(self) -> dict[str, Any]:
        return _params_of(self)

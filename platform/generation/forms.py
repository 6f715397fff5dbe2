"""The train, generate and evaluate forms: plain inputs handed to the job's spec (generation/specs.py),
which makes every check, as it does for the API (generation/spec_doors.py)."""
from __future__ import annotations

from django import forms

from generation.models import TrainingSource
from generation.recipes import DEFAULT_RECIPE, RECIPES, recipe_choices
from generation.spec_doors import SpecForm, spec_input
from generation.specs import (FINDING_CHOICES, MAX_EVALUATION_IMAGES, MAX_IMAGES, MAX_PROGRESSION_STEPS,
                              MAX_SEED, MAX_TRAINING_STEPS, MIN_EVALUATION_IMAGES, MIN_PROGRESSION_STEPS,
                              OUTPUT_LABELS, PLACEMENT_LABELS, SCHEDULES, EvaluationSpec, GenerationSpec,
                              TrainingSpec, trainable_collections)


def _number(low: float, high: float, step: str = "1") -> forms.NumberInput:
    """A number box whose min/max are the spec's limits: a hint for the browser, not a check."""
    return forms.NumberInput(attrs={"min": low, "max": high, "step": step})


class TrainForm(SpecForm):
    spec_class = TrainingSpec

    name = spec_input(forms.TextInput(attrs={"maxlength": 100}),
                      help_text="Letters, digits, spaces, dots, dashes. Versions are numbered for you.")
    source = spec_input(forms.RadioSelect(choices=TrainingSource.choices), initial=TrainingSpec.source,
                        label="Training images")
    collection = spec_input(label="Your collection",
                            help_text="Uploaded images have no finding labels: they train the “normal” class only.")
    recipe = spec_input(forms.Select(choices=recipe_choices()), initial=DEFAULT_RECIPE,
                        help_text=" ".join(f"{r.label}: {r.description}" for r in RECIPES.values()))
    steps = spec_input(_number(1, MAX_TRAINING_STEPS), help_text="Leave empty for the recipe's number of steps.")
    description = spec_input(forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        choices = [("", "—")] + [(str(c.public_id), c.name) for c in trainable_collections(user)]
        self.fields["collection"].widget = forms.Select(choices=choices)


class GenerateForm(SpecForm):
    """Posted to the page of one model: the view fixes `gan_model`."""

    spec_class = GenerationSpec

    output = spec_input(forms.Select(choices=list(OUTPUT_LABELS.items())), initial=GenerationSpec.output,
                        label="What to make")
    n = spec_input(_number(1, MAX_IMAGES), initial=GenerationSpec.n, label="Images / cases")
    seed = spec_input(_number(0, MAX_SEED), initial=GenerationSpec.seed,
                      help_text="Image i uses seed + i: same seed, same images.")
    finding = spec_input(forms.Select(choices=[("", "Drawn for each patient (patient cases)")] + FINDING_CHOICES),
                         initial=GenerationSpec.finding)
    severity = spec_input(_number(0, 1, "any"), initial=GenerationSpec.severity,
                          help_text="0..1: nodule diameter 4..30 mm.")
    x = spec_input(_number(0, 1, "any"), initial=GenerationSpec.x, label="Position x",
                   help_text="Fraction of the width (0 = left of the image, the patient's right).")
    y = spec_input(_number(0, 1, "any"), initial=GenerationSpec.y, label="Position y",
                   help_text="Fraction of the height.")
    placement = spec_input(forms.Select(choices=list(PLACEMENT_LABELS.items())), initial=GenerationSpec.placement,
                           label="Nodule placement",
                           help_text="A position is a fraction of the image: in some patients it falls "
                                     "outside the lung. The position actually used is recorded per image.")
    schedule = spec_input(forms.Select(choices=[(s, s.capitalize()) for s in SCHEDULES]),
                          initial=GenerationSpec.schedule, help_text="Progression only.")
    steps = spec_input(_number(MIN_PROGRESSION_STEPS, MAX_PROGRESSION_STEPS), initial=GenerationSpec.steps,
                       label="Time points", help_text="Progression only.")


class EvaluateForm(SpecForm):
    """Posted to the page of one model: the view fixes `gan_model`."""

    spec_class = EvaluationSpec

    n_real = spec_input(_number(MIN_EVALUATION_IMAGES, MAX_EVALUATION_IMAGES), initial=EvaluationSpec.n_real,
                        label="Real images")
    n_fake = spec_input(_number(MIN_EVALUATION_IMAGES, MAX_EVALUATION_IMAGES), initial=EvaluationSpec.n_fake,
                        label="Synthetic images")
    seed = spec_input(_number(0, MAX_SEED), initial=EvaluationSpec.seed)

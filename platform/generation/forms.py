"""The train, generate and evaluate forms. Their checks are the API's (recipes, GenerationSpec)."""
from __future__ import annotations

from django import forms

from generation.evaluation import DEFAULTS as EVALUATION_DEFAULTS
from generation.evaluation import evaluation_params
from generation.models import TrainingSource
from generation.recipes import DEFAULT_RECIPE, MAX_STEPS, RECIPES, build_config, recipe_choices
from generation.specs import FINDING_CHOICES, KIND_LABELS, MAX_IMAGES, PLACEMENT_LABELS, SCHEDULES, GenerationSpec


class TrainForm(forms.Form):
    name = forms.RegexField(regex=r"^[\w .-]{1,100}$", max_length=100,
                            help_text="Letters, digits, spaces, dots, dashes. Versions are numbered for you.")
    source = forms.ChoiceField(choices=TrainingSource.choices, initial=TrainingSource.EXAMPLE_CT,
                               widget=forms.RadioSelect, label="Training images")
    collection = forms.ModelChoiceField(queryset=None, required=False, label="Your collection",
                                        help_text="Uploaded images have no finding labels: they train the "
                                                  "“normal” class only.")
    recipe = forms.ChoiceField(choices=recipe_choices(), initial=DEFAULT_RECIPE,
                               help_text=" ".join(f"{r.label}: {r.description}" for r in RECIPES.values()))
    steps = forms.IntegerField(required=False, min_value=1, max_value=MAX_STEPS,
                               help_text="Leave empty for the recipe's number of steps.")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from imaging.models import CollectionKind, ImageCollection

        collections = ImageCollection.objects.all() if user.is_admin_role else ImageCollection.objects.filter(owner=user)
        self.fields["collection"].queryset = collections.exclude(kind=CollectionKind.SYNTHETIC)

    def clean(self):
        data = super().clean()
        if data.get("source") == TrainingSource.COLLECTION and not data.get("collection"):
            self.add_error("collection", "Choose the collection to train on.")
        if data.get("recipe"):
            try:
                data["config"] = build_config(data["recipe"], steps=data.get("steps"))
            except ValueError as exc:
                self.add_error("steps", str(exc))
        data["collection_obj"] = data.get("collection") if data.get("source") == TrainingSource.COLLECTION else None
        return data


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(choices=list(KIND_LABELS.items()), initial="images", label="What to make")
    n = forms.IntegerField(min_value=1, max_value=MAX_IMAGES, initial=8, label="Images / cases")
    seed = forms.IntegerField(min_value=0, initial=0, help_text="Image i uses seed + i: same seed, same images.")
    finding = forms.ChoiceField(choices=[("", "Drawn for each patient (patient cases)")] + FINDING_CHOICES,
                                required=False, initial="solid_nodule")
    severity = forms.FloatField(min_value=0, max_value=1, initial=0.5,
                                help_text="0..1: nodule diameter 4..30 mm.")
    x = forms.FloatField(min_value=0, max_value=1, initial=0.3, label="Position x",
                         help_text="Fraction of the width (0 = left of the image, the patient's right).")
    y = forms.FloatField(min_value=0, max_value=1, initial=0.45, label="Position y", help_text="Fraction of the height.")
    placement = forms.ChoiceField(choices=list(PLACEMENT_LABELS.items()), initial="lung", label="Nodule placement",
                                  help_text="A position is a fraction of the image: in some patients it falls "
                                            "outside the lung. The position actually used is recorded per image.")
    schedule = forms.ChoiceField(choices=[(s, s.capitalize()) for s in SCHEDULES], initial="growth",
                                 help_text="Progression only.")
    steps = forms.IntegerField(min_value=2, max_value=24, initial=6, label="Time points", help_text="Progression only.")

    def __init__(self, *args, model, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.model = model

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["spec"] = GenerationSpec.from_params(data, self.model)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        return data


class EvaluateForm(forms.Form):
    n_real = forms.IntegerField(min_value=4, max_value=2000, initial=EVALUATION_DEFAULTS["n_real"], label="Real images")
    n_fake = forms.IntegerField(min_value=4, max_value=2000, initial=EVALUATION_DEFAULTS["n_fake"],
                                label="Synthetic images")
    seed = forms.IntegerField(min_value=0, initial=0)

    def clean(self):
        data = super().clean()
        if not self.errors:
            data["params"] = evaluation_params(data)
        return data

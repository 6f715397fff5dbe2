"""The researcher's forms. The rules they end in live in lifecycle, pool and allocation."""
from __future__ import annotations

from django import forms

from imaging.models import ImageCollection
from studies.models import PoolRole, SourceKind, Study


class StudyTextsForm(forms.ModelForm):
    """What a study says; editable in any state but closed."""

    class Meta:
        model = Study
        fields = ["title", "protocol", "consent_text", "instructions", "closes_at"]
        widgets = {
            "protocol": forms.Textarea(attrs={"rows": 3}), "consent_text": forms.Textarea(attrs={"rows": 3}),
            "instructions": forms.Textarea(attrs={"rows": 3}),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }


class StudyDesignForm(forms.ModelForm):
    """The design: frozen with the first rating (lifecycle.save_design refuses it then)."""

    class Meta:
        model = Study
        fields = list(Study.DESIGN_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seed"].help_text = "Stored with the study: every reader's sequence is rebuilt from it."


class AddSourceForm(forms.Form):
    collection = forms.ModelChoiceField(queryset=None, label="Collection")
    kind = forms.ChoiceField(choices=SourceKind.choices, label="What it is")
    label = forms.CharField(required=False, max_length=120, help_text="For your report; readers never see it.")
    generator_name = forms.CharField(required=False, max_length=120,
                                     help_text="External generators: e.g. StyleGAN2-ADA, a diffusion model.")
    generator_version = forms.CharField(required=False, max_length=60)
    role = forms.ChoiceField(choices=PoolRole.choices, initial=PoolRole.MAIN)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collection"].queryset = ImageCollection.objects.owned_by_user(user).order_by("name")


class PowerForm(forms.Form):
    expected_accuracy = forms.FloatField(initial=0.60, min_value=0.01, max_value=0.99)
    readers = forms.IntegerField(initial=3, min_value=1, max_value=1000)
    rho_reader = forms.FloatField(initial=0.0, min_value=0, max_value=0.99, label="Correlation within a reader")
    rho_image = forms.FloatField(initial=0.0, min_value=0, max_value=0.99, label="Correlation between readers")
    margin = forms.FloatField(initial=0.05, min_value=0.005, max_value=0.45, label="AUC margin")
    reader_auc_correlation = forms.FloatField(initial=0.3, min_value=0, max_value=0.99,
                                              label="Correlation of readers' AUCs")


class MatchedSourceForm(forms.Form):
    gan_model = forms.ModelChoiceField(queryset=None, label="Model", to_field_name="public_id",
                                       help_text="One image per real image, drawn under its finding, size and position.")
    seed = forms.IntegerField(initial=0, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args, user, **kwargs):
        from generation.models import GanModel

        super().__init__(*args, **kwargs)
        self.fields["gan_model"].queryset = GanModel.objects.for_user(user)

"""GAN models and their jobs over the API. Creating a job answers 202 with the Job id; follow it
at /api/jobs/<id>/ (progress, cancel, resume). Requests are checked by the job's spec, the same one
the pages use (generation/specs.py, generation/spec_doors.py)."""
from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from rest_framework import mixins, serializers, viewsets

from accounts.access import role_permission
from accounts.roles import EDITORS
from core.api import JobCreateMixin, UserQuerysetMixin
from generation.jobs import start_evaluation, start_generation, start_training
from generation.models import Evaluation, GanModel, TrainingSource
from generation.recipes import RECIPES
from generation.spec_doors import SpecSerializer, SpecValue
from generation.specs import OUTPUTS, PLACEMENT_LABELS, SCHEDULES, EvaluationSpec, GenerationSpec, TrainingSpec


def _one_of(choices) -> serializers.ChoiceField:
    """The OpenAPI description of a value the spec takes from `choices` (the spec checks it)."""
    return serializers.ChoiceField(choices=choices)


class EvaluationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    plots = serializers.SerializerMethodField()

    class Meta:
        model = Evaluation
        fields = ["id", "created_at", "inputs", "metrics", "plots"]
        read_only_fields = fields

    def get_plots(self, evaluation: Evaluation) -> dict[str, str]:
        """The plots the requesting user may see, by name."""
        return {name: reverse("generation:evaluation-plot", args=[evaluation.public_id, name])
                for name in evaluation.plots_for(self.context["request"].user)}


class GanModelSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    training_collection = serializers.SlugRelatedField(slug_field="public_id", read_only=True)
    latest_evaluation = serializers.SerializerMethodField()

    class Meta:
        model = GanModel
        fields = ["id", "name", "version", "description", "modality", "resolution", "finding_classes",
                  "supports_severity", "supports_position", "pixel_spacing_mm", "training_source",
                  "training_collection", "checkpoint_sha256", "config", "training_stats", "metrics", "shared",
                  "created_by", "created_at", "latest_evaluation"]
        read_only_fields = fields

    def get_latest_evaluation(self, model: GanModel) -> dict | None:
        evaluation = model.latest_evaluation
        return EvaluationSerializer(evaluation, context=self.context).data if evaluation else None


class GanModelViewSet(UserQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The model registry: shipped models, shared ones and the ones you trained."""

    serializer_class = GanModelSerializer
    permission_classes = [role_permission(EDITORS)]
    lookup_field = "public_id"
    model = GanModel

    def queryset_for(self, user):
        return GanModel.objects.for_user(user).select_related("created_by", "training_collection")


class EditorJobViewSet(JobCreateMixin, viewsets.GenericViewSet):
    """An endpoint that starts a job, open to educators and researchers."""

    permission_classes = [role_permission(EDITORS)]


class TrainingJobSerializer(SpecSerializer):
    """A training request: checked by TrainingSpec (generation/specs.py), as the train page's is."""

    spec_class = TrainingSpec

    name = SpecValue(OpenApiTypes.STR, help_text="Model name (letters, digits, space . - _).")
    source = SpecValue(_one_of(TrainingSource.choices), help_text=f"Default {TrainingSpec.source}.")
    collection = SpecValue(OpenApiTypes.UUID, help_text="public id of your ImageCollection (source=collection).")
    recipe = SpecValue(_one_of(RECIPES), help_text=f"Default {TrainingSpec.recipe}.")
    steps = SpecValue(OpenApiTypes.INT, help_text="Training steps; empty: the recipe's.")
    seed = SpecValue(OpenApiTypes.INT, help_text="Empty: the recipe's.")
    description = SpecValue(OpenApiTypes.STR)


class TrainingJobViewSet(EditorJobViewSet):
    """Start training a GAN on the example CT or one of your collections."""

    serializer_class = TrainingJobSerializer
    start_job = staticmethod(start_training)


class GenerationJobSerializer(SpecSerializer):
    """A generation request: checked by GenerationSpec (generation/specs.py), as the generate page's is."""

    spec_class = GenerationSpec

    output = SpecValue(_one_of(OUTPUTS), help_text=f"What to make; default {GenerationSpec.output}.")
    schedule = SpecValue(_one_of(SCHEDULES))
    placement = SpecValue(_one_of(list(PLACEMENT_LABELS.items())))


class GenerationJobViewSet(EditorJobViewSet):
    """Generate images, a progression series or patient-model cases from a model."""

    serializer_class = GenerationJobSerializer
    start_job = staticmethod(start_generation)


class EvaluationJobSerializer(SpecSerializer):
    """An evaluation request: checked by EvaluationSpec (generation/specs.py), as the evaluate page's is."""

    spec_class = EvaluationSpec



class EvaluationJobViewSet(EditorJobViewSet):
    """Evaluate a model against its real set (metrics with 95% CIs, plots)."""

    serializer_class = EvaluationJobSerializer
    start_job = staticmethod(start_evaluation)

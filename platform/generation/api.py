"""GAN models and their jobs over the API. Creating a job answers 202 with the Job id; follow it
at /api/jobs/<id>/ (progress, cancel, resume)."""
from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from accounts.access import role_permission
from accounts.roles import EDITORS
from core.jobs import create_job
from generation.evaluation import evaluation_params
from generation.models import Evaluation, GanModel, TrainingSource
from generation.recipes import DEFAULT_RECIPE, MAX_STEPS, RECIPES, build_config
from generation.specs import KINDS, PLACEMENT_LABELS, SCHEDULES, GenerationSpec


class EvaluationSerializer(serializers.ModelSerializer):
    plots = serializers.SerializerMethodField()

    class Meta:
        model = Evaluation
        fields = ["id", "created_at", "inputs", "metrics", "plots"]
        read_only_fields = fields

    def get_plots(self, evaluation: Evaluation) -> dict[str, str]:
        return {name: reverse("generation:evaluation-plot", args=[evaluation.pk, name]) for name in evaluation.plots}


class GanModelSerializer(serializers.ModelSerializer):
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
        return EvaluationSerializer(evaluation).data if evaluation else None


class JobCreatedSerializer(serializers.Serializer):
    job = serializers.UUIDField()
    job_url = serializers.CharField()


def _created(job) -> Response:
    return Response({"job": str(job.public_id), "job_url": reverse("job-detail", args=[job.public_id])},
                    status=status.HTTP_202_ACCEPTED)


class GanModelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The model registry: shipped models, shared ones and the ones you trained."""

    serializer_class = GanModelSerializer
    permission_classes = [role_permission(EDITORS)]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return GanModel.objects.none()
        return GanModel.objects.visible_to(self.request.user).select_related("created_by", "training_collection")


class TrainingJobSerializer(serializers.Serializer):
    name = serializers.RegexField(r"^[\w .-]{1,100}$", help_text="Model name (letters, digits, space . - _).")
    source = serializers.ChoiceField(choices=TrainingSource.choices, default=TrainingSource.EXAMPLE_CT)
    collection = serializers.UUIDField(required=False, allow_null=True,
                                       help_text="public id of your ImageCollection (source=collection).")
    recipe = serializers.ChoiceField(choices=list(RECIPES), default=DEFAULT_RECIPE)
    steps = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_STEPS)
    seed = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=2**31 - 1)
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate(self, data):
        from imaging.models import ImageCollection

        user = self.context["request"].user
        data["collection_obj"] = None
        if data["source"] == TrainingSource.COLLECTION:
            collections = ImageCollection.objects.all() if user.is_admin_role else user.image_collections.all()
            found = collections.filter(public_id=data.get("collection")).first() if data.get("collection") else None
            if found is None:
                raise serializers.ValidationError({"collection": "Choose one of your image collections."})
            data["collection_obj"] = found
        try:
            data["config"] = build_config(data["recipe"], steps=data.get("steps"), seed=data.get("seed"))
        except ValueError as exc:
            raise serializers.ValidationError({"recipe": str(exc)}) from None
        return data


def start_training(user, data: dict):
    """Create the training Job (config resolved now, so a resume trains with the same one)."""
    from generation.tasks import train_gan

    collection = data.get("collection_obj")
    params = {"name": data["name"], "description": data.get("description", ""), "source": data["source"],
              "collection": collection.pk if collection else None, "recipe": data["recipe"], "config": data["config"]}
    with transaction.atomic():
        return create_job(task=train_gan, owner=user, params=params)


class TrainingJobViewSet(viewsets.GenericViewSet):
    """Start training a GAN on the example CT or one of your collections."""

    serializer_class = TrainingJobSerializer
    permission_classes = [role_permission(EDITORS)]

    @extend_schema(responses={202: JobCreatedSerializer})
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _created(start_training(request.user, serializer.validated_data))


class GenerationJobSerializer(serializers.Serializer):
    gan_model = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=KINDS, default="images")
    n = serializers.IntegerField(required=False)
    seed = serializers.IntegerField(required=False)
    finding = serializers.CharField(required=False, allow_blank=True)
    severity = serializers.FloatField(required=False)
    x = serializers.FloatField(required=False)
    y = serializers.FloatField(required=False)
    schedule = serializers.ChoiceField(choices=SCHEDULES, required=False)
    steps = serializers.IntegerField(required=False)
    truncation = serializers.FloatField(required=False)
    placement = serializers.ChoiceField(choices=list(PLACEMENT_LABELS.items()), required=False)

    def validate(self, data):
        model = GanModel.objects.visible_to(self.context["request"].user).filter(pk=data["gan_model"]).first()
        if model is None:
            raise serializers.ValidationError({"gan_model": "No such model."})
        try:
            spec = GenerationSpec.from_params(data, model)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None
        return {"gan_model": model.pk, **spec.to_params()}


def start_generation(user, params: dict):
    from generation.tasks import generate_images

    with transaction.atomic():
        return create_job(task=generate_images, owner=user, params=params,
                          max_attempts=2)


class GenerationJobViewSet(viewsets.GenericViewSet):
    """Generate images, a progression series or patient-model cases from a model."""

    serializer_class = GenerationJobSerializer
    permission_classes = [role_permission(EDITORS)]

    @extend_schema(responses={202: JobCreatedSerializer})
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _created(start_generation(request.user, serializer.validated_data))


class EvaluationJobSerializer(serializers.Serializer):
    gan_model = serializers.IntegerField()
    n_real = serializers.IntegerField(required=False)
    n_fake = serializers.IntegerField(required=False)
    seed = serializers.IntegerField(required=False)
    n_bootstrap = serializers.IntegerField(required=False)

    def validate(self, data):
        model = GanModel.objects.visible_to(self.context["request"].user).filter(pk=data["gan_model"]).first()
        if model is None:
            raise serializers.ValidationError({"gan_model": "No such model."})
        try:
            return {"gan_model": model.pk, **evaluation_params(data)}
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None


def start_evaluation(user, params: dict):
    from generation.tasks import evaluate_model

    with transaction.atomic():
        return create_job(task=evaluate_model, owner=user, params=params,
                          max_attempts=2)


class EvaluationJobViewSet(viewsets.GenericViewSet):
    """Evaluate a model against its real set (metrics with 95% CIs, plots)."""

    serializer_class = EvaluationJobSerializer
    permission_classes = [role_permission(EDITORS)]

    @extend_schema(responses={202: JobCreatedSerializer})
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _created(start_evaluation(request.user, serializer.validated_data))

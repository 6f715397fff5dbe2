"""The GAN model registry, and what generation and evaluation jobs leave behind.

A `GanModel` is one trained checkpoint (safetensors weights + JSON config, see gan_engine.checkpoint)
with what it can be asked for and where it came from. Training, generation and evaluation run as
core `Job`s (generation/tasks.py); their outputs are images in the imaging store (origin synthetic),
`PatientCase` rows for patient-model cases, and `Evaluation` rows with metrics and plots.
"""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

import gan_engine
from core.ownership import OwnedQuerySet, is_admin, owner_is
from core.records import NewestFirst

# Shipped checkpoints (gan_engine/checkpoints/...) are stored relative to the engine package;
# trained ones relative to MEDIA_ROOT, so a moved checkout or media folder keeps working.
ENGINE_DIR = Path(gan_engine.__file__).resolve().parent


class CheckpointRoot(models.TextChoices):
    """Which folder a checkpoint path is relative to, so a moved checkout or media folder keeps working."""

    MEDIA = "media", "Media folder (trained here)"
    ENGINE = "engine", "gan_engine package (shipped)"


class TrainingSource(models.TextChoices):
    """What a model was trained on; uploads keep their training-images plot from non-managers."""

    EXAMPLE_CT = "example_ct", "Example chest CT (with inserted nodules)"
    COLLECTION = "collection", "Uploaded image collection"


class GanModelQuerySet(owner_is("created_by")):
    """Whoever trained a model manages it (administrators: all, shipped ones included)."""

    def for_user(self, user) -> "GanModelQuerySet":
        """Shipped models and shared ones for everyone; a trained model also for whoever trained it."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_admin(user):
            return self
        return self.filter(Q(created_by__isnull=True) | Q(shared=True) | Q(created_by=user))


class GanModel(models.Model):
    """One trained generator checkpoint, registered for generation and evaluation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    version = models.CharField(max_length=40, default="1")
    description = models.TextField(blank=True)
    modality = models.CharField(max_length=16, default="CT")
    resolution = models.PositiveIntegerField(help_text="Output side in px (square images).")
    finding_classes = models.JSONField(default=list, help_text="Finding names it was trained on.")
    supports_severity = models.BooleanField(default=True, help_text="Severity 0..1 sets the nodule diameter.")
    supports_position = models.BooleanField(default=True, help_text="x, y place the nodule.")
    pixel_spacing_mm = models.FloatField(default=0.0, help_text="mm per px of generated images.")

    training_source = models.CharField(max_length=16, choices=TrainingSource.choices,
                                       default=TrainingSource.EXAMPLE_CT)
    training_collection = models.ForeignKey("imaging.ImageCollection", null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="gan_models")
    training_job = models.OneToOneField("core.Job", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="trained_model")

    checkpoint_root = models.CharField(max_length=8, choices=CheckpointRoot.choices, default=CheckpointRoot.MEDIA)
    checkpoint_path = models.CharField(max_length=500, help_text="Checkpoint folder, relative to its root.")
    checkpoint_sha256 = models.CharField(max_length=64, help_text="sha256 of generator.safetensors.")
    config = models.JSONField(default=dict, help_text="asdict(TrainConfig) the checkpoint was trained with.")
    training_stats = models.JSONField(default=dict, blank=True, help_text="Steps, images seen, last losses.")
    metrics = models.JSONField(default=dict, blank=True, help_text="The latest evaluation's metrics.")

    shared = models.BooleanField(default=False, help_text="Visible to every educator and researcher.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="gan_models", help_text="Empty for shipped models.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GanModelQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="unique_gan_model_version")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def checkpoint_dir(self) -> Path:
        root = ENGINE_DIR if self.checkpoint_root == CheckpointRoot.ENGINE else Path(settings.MEDIA_ROOT)
        return root / self.checkpoint_path

    @property
    def is_shipped(self) -> bool:
        return self.checkpoint_root == CheckpointRoot.ENGINE

    @property
    def latest_evaluation(self) -> "Evaluation | None":
        return self.evaluations.order_by("-created_at").first()

    @classmethod
    def next_version(cls, name: str) -> str:
        versions = [int(v) for v in cls.objects.filter(name=name).values_list("version", flat=True) if v.isdigit()]
        return str(max(versions, default=0) + 1)

    @classmethod
    def fields_from_checkpoint(cls, meta: dict[str, Any]) -> dict[str, Any]:
        """Registry fields read from a checkpoint's config.json (gan_engine.checkpoint.read_meta)."""
        from gan_engine.conditions import FINDING_CLASSES

        config = meta["config"]
        return {
            "resolution": int(config["size"]), "finding_classes": list(FINDING_CLASSES),
            "pixel_spacing_mm": float(meta["pixel_spacing_mm"]), "config": config,
            "checkpoint_sha256": meta["files"]["generator.safetensors"],
            "training_stats": {k: v for k, v in meta.get("stats", {}).items() if k != "device"},
        }


class EvaluationQuerySet(owner_is("created_by")):
    def for_user(self, user) -> "EvaluationQuerySet":
        """An evaluation is seen by whoever may see its model (its plots: see Evaluation.plots_for)."""
        return self.filter(gan_model__in=GanModel.objects.for_user(user))


class Evaluation(NewestFirst):
    """One run of the engine's metrics for a model against its real set, with the plots made from it."""

    # The plot that shows training images beside their nearest fakes: real uploaded images when
    # the model was trained on a collection, so only whoever manages the model sees it then.
    TRAINING_IMAGES_PLOT = "nearest_pairs"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    gan_model = models.ForeignKey(GanModel, on_delete=models.CASCADE, related_name="evaluations")
    job = models.OneToOneField("core.Job", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="evaluation")
    metrics = models.JSONField(default=dict, help_text="gan_engine.metrics.results_to_json output.")
    inputs = models.JSONField(default=dict, help_text="n_real, n_fake, seed, bootstrap replicates, real set.")
    plots = models.JSONField(default=dict, help_text="plot name -> file path relative to MEDIA_ROOT.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = EvaluationQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Evaluation of {self.gan_model} ({self.created_at:%Y-%m-%d %H:%M})"

    def plot_path(self, name: str) -> Path | None:
        relative = self.plots.get(name)
        return Path(settings.MEDIA_ROOT) / relative if relative else None

    def plots_for(self, user) -> list[str]:
        """The plots `user` may look at, by name, for a user who may see this evaluation
        (Evaluation.objects.for_user): all, less the training-images plot of a model trained on
        uploads unless they manage the model."""
        shows_uploads = self.gan_model.training_source != TrainingSource.EXAMPLE_CT
        if shows_uploads and not GanModel.objects.owned_by_user(user).filter(pk=self.gan_model_id).exists():
            return [name for name in self.plots if name != self.TRAINING_IMAGES_PLOT]
        return list(self.plots)


class PatientCase(NewestFirst):
    """A patient-model case: a synthetic patient, the finding drawn for them, its image and the
    teaching answers (Brock malignancy risk, Fleischner 2017 follow-up)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="patient_cases")
    gan_model = models.ForeignKey(GanModel, null=True, on_delete=models.SET_NULL, related_name="patient_cases")
    job = models.ForeignKey("core.Job", null=True, on_delete=models.SET_NULL, related_name="patient_cases")
    image = models.OneToOneField("imaging.Image", on_delete=models.CASCADE, related_name="patient_case")
    profile = models.JSONField(help_text="gan_engine.patients.PatientProfile.to_dict().")
    history = models.TextField(help_text="The clinical-note history shown with the image.")
    condition = models.JSONField(help_text="finding, severity, x, y.")
    diameter_mm = models.FloatField(default=0.0)
    brock_risk = models.FloatField(null=True, blank=True, help_text="Malignancy probability 0..1; empty if normal.")
    fleischner = models.JSONField(null=True, blank=True, help_text="Fleischner 2017 recommendation; empty if normal.")
    answer_text = models.TextField()

    objects = OwnedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Case {self.pk}: {self.condition.get('finding')}"

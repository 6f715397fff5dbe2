"""A visual Turing test: its design, image pool, readers, their trials and ratings.

Rules live elsewhere, one home each: which state changes are allowed and when the design freezes
(`studies.lifecycle`), who reads what (`studies.allocation`, pure), how a rating is stored once
(`studies.rating`). These models hold the facts.
"""
from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.ownership import OwnedQuerySet
from core.records import NewestFirst
from imaging.models import Origin
from studies.allocation import CROSSED, SINGLE, SUBSETS, TWO_AFC, Plan


def validate_even(value: int) -> None:
    if value % 2:
        raise ValidationError("Use an even number of levels, so every rating says real or synthetic.")


def new_seed() -> int:
    return secrets.randbelow(2**31)


def new_reader_token() -> str:
    """A study-local image token: random, unrelated to the image store's token or anything else."""
    return secrets.token_urlsafe(18)


class StudyStatus(models.TextChoices):
    """A study's life (studies/lifecycle.py holds the moves and what each needs)."""

    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    PAUSED = "paused", "Paused"
    CLOSED = "closed", "Closed"


class Design(models.TextChoices):
    """What a reader is shown and asked per trial (studies/allocation.py lays trials out)."""

    SINGLE = SINGLE, "Single image: real or synthetic?"
    TWO_AFC = TWO_AFC, "2-AFC: which of two is real?"


class AllocationMode(models.TextChoices):
    """Which images each reader reads."""

    CROSSED = CROSSED, "Fully crossed (every reader reads every image)"
    SUBSETS = SUBSETS, "Balanced subsets per reader"


class Endpoint(models.TextChoices):
    """The pre-registered primary endpoint that the power calculation and the report use."""

    ACCURACY = "accuracy", "Accuracy against chance (0.5)"
    AUC_EQUIVALENCE = "auc_equivalence", "ROC AUC equivalent to 0.5 within a margin"


class Study(NewestFirst):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="studies")
    title = models.CharField(max_length=200)
    protocol = models.TextField(blank=True, help_text="Aims and methods, as registered.")
    consent_text = models.TextField(blank=True, help_text="Shown to each reader, who must agree before reading.")
    instructions = models.TextField(blank=True, help_text="Shown to readers before the first image.")
    closes_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=StudyStatus.choices, default=StudyStatus.DRAFT)

    # The reading task.
    design = models.CharField(max_length=8, choices=Design.choices, default=Design.SINGLE)
    confidence_levels = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(2), MaxValueValidator(10), validate_even],
        help_text="From 'definitely real' to 'definitely synthetic'; ROC needs no other question.")
    ask_realism = models.BooleanField(default=False, help_text="Also ask a realism score (1-5).")
    ask_tells = models.BooleanField(default=False, help_text="Also ask what gave it away (text and a click).")
    time_limit_seconds = models.PositiveIntegerField(null=True, blank=True, help_text="Per image; empty for none.")

    # Who reads what (see studies.allocation.Plan).
    allocation_mode = models.CharField(max_length=8, choices=AllocationMode.choices, default=AllocationMode.CROSSED)
    reader_slots = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1)])
    per_reader = models.PositiveIntegerField(null=True, blank=True, help_text="Balanced subsets: images per reader.")
    min_reads = models.PositiveSmallIntegerField(default=1, help_text="Balanced subsets: reads per image, at least.")
    synthetic_share = models.FloatField(default=0.5, validators=[MinValueValidator(0), MaxValueValidator(1)])
    repeat_share = models.FloatField(default=0.0, validators=[MinValueValidator(0), MaxValueValidator(0.5)])
    repeat_gap = models.PositiveSmallIntegerField(default=20)
    catch_trials = models.PositiveSmallIntegerField(default=0)
    calibration_trials = models.PositiveSmallIntegerField(default=0)
    session_size = models.PositiveIntegerField(null=True, blank=True)
    washout_days = models.PositiveSmallIntegerField(default=0)
    seed = models.BigIntegerField(default=new_seed, help_text="Rebuilds every reader's sequence.")

    # Pre-registration, fixed when the study opens.
    primary_endpoint = models.CharField(max_length=16, choices=Endpoint.choices, default=Endpoint.AUC_EQUIVALENCE)
    equivalence_margin = models.FloatField(default=0.05, validators=[MinValueValidator(0.001), MaxValueValidator(0.5)])

    blinding_acknowledged_at = models.DateTimeField(null=True, blank=True,
                                                    help_text="The researcher saw the audit's leaks and opened anyway.")
    opened_at = models.DateTimeField(null=True, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True, help_text="First rating: the design no longer changes.")

    objects = OwnedQuerySet.as_manager()

    class Meta(NewestFirst.Meta):
        verbose_name_plural = "studies"

    def __str__(self) -> str:
        return self.title

    def on_invitation_accepted(self, user, invitation) -> None:
        """accounts.Invitation calls this: the invited account becomes a reader of this study."""
        from studies.lifecycle import join

        join(self, user)

    def plan(self) -> Plan:
        return Plan(
            design=self.design, mode=self.allocation_mode, reader_slots=self.reader_slots,
            per_reader=self.per_reader, min_reads=self.min_reads, synthetic_share=self.synthetic_share,
            repeat_share=self.repeat_share, repeat_gap=self.repeat_gap, catch_trials=self.catch_trials,
            calibration_trials=self.calibration_trials, session_size=self.session_size,
        )

    # Fields that make up the design: refused once frozen (studies.lifecycle).
    DESIGN_FIELDS = (
        "design", "confidence_levels", "ask_realism", "ask_tells", "time_limit_seconds", "allocation_mode",
        "reader_slots", "per_reader", "min_reads", "synthetic_share", "repeat_share", "repeat_gap",
        "catch_trials", "calibration_trials", "session_size", "washout_days", "seed", "primary_endpoint",
        "equivalence_margin",
    )


class SourceKind(models.TextChoices):
    """Where a share of the pool comes from; several synthetic sources compare generators."""

    REAL = "real", "Real images (a collection)"
    PLATFORM_MODEL = "platform_model", "Generated here by a registered model"
    EXTERNAL = "external", "External generator (an uploaded collection declared synthetic)"


class StudySource(models.Model):
    """Where a share of the pool comes from. Several synthetic sources compare generators."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(max_length=16, choices=SourceKind.choices)
    label = models.CharField(max_length=120, help_text="For the researcher's report; never shown to readers.")
    collection = models.ForeignKey("imaging.ImageCollection", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="study_sources")
    gan_model = models.ForeignKey("generation.GanModel", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="study_sources")
    generation_params = models.JSONField(default=dict, blank=True, help_text="The generation spec, as params.")
    generator_name = models.CharField(max_length=120, blank=True, help_text="External: e.g. StyleGAN2-ADA.")
    generator_version = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["study", "created_at"]

    def __str__(self) -> str:
        return self.label

    @property
    def truth(self) -> str:
        return "real" if self.kind == SourceKind.REAL else "synthetic"


class PoolRole(models.TextChoices):
    """What an image is for in the study: analysed, checking attention, or teaching the scale."""

    MAIN = "main", "Main"
    CATCH = "catch", "Catch trial (attention check)"
    CALIBRATION = "calibration", "Calibration (with feedback, not analysed)"


class PoolImage(models.Model):
    """One image in a study's pool, known to readers only by `reader_token`."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="pool")
    image = models.ForeignKey("imaging.Image", on_delete=models.PROTECT, related_name="study_pool_entries")
    source = models.ForeignKey(StudySource, on_delete=models.CASCADE, related_name="pool_images")
    truth = models.CharField(max_length=9, choices=Origin.choices)
    role = models.CharField(max_length=12, choices=PoolRole.choices, default=PoolRole.MAIN)
    finding = models.CharField(max_length=64, blank=True, help_text="Finding class, for matching and 2-AFC pairs.")
    reader_token = models.CharField(max_length=32, unique=True, default=new_reader_token, editable=False)

    class Meta:
        ordering = ["study", "id"]
        constraints = [models.UniqueConstraint(fields=["study", "image"], name="an_image_once_per_study")]

    def __str__(self) -> str:
        return f"{self.study} · {self.reader_token[:6]}…"


class TrainingLevel(models.TextChoices):
    """A reader's training, asked in their profile; the analysis reports results per level."""

    STUDENT = "student", "Medical student"
    RESIDENT = "resident", "Resident / registrar"
    FELLOW = "fellow", "Fellow"
    ATTENDING = "attending", "Attending / consultant radiologist"
    OTHER = "other", "Other"


class StudyReader(models.Model):
    """Membership: this account reads this study in slot `slot`. Any account can hold one (a trainee
    too): it comes from an invitation whose target is the study."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="readers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_readings")
    slot = models.PositiveSmallIntegerField()
    joined_at = models.DateTimeField(auto_now_add=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    training_level = models.CharField(max_length=12, choices=TrainingLevel.choices, blank=True)
    years_experience = models.PositiveSmallIntegerField(null=True, blank=True)
    specialty = models.CharField(max_length=120, blank=True)
    simulated = models.BooleanField(default=False, help_text="Demo ratings made by code, labelled as such.")

    class Meta:
        ordering = ["study", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["study", "user"], name="one_membership_per_reader"),
            models.UniqueConstraint(fields=["study", "slot"], name="one_reader_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.user} reads {self.study} (slot {self.slot})"


class Trial(models.Model):
    """One position in a reader's sequence, made from the allocation when the reader joins."""

    reader = models.ForeignKey(StudyReader, on_delete=models.CASCADE, related_name="trials")
    position = models.PositiveIntegerField()
    session = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(max_length=12, choices=[(k, k) for k in ("main", "repeat", "catch", "calibration")])
    first = models.ForeignKey(PoolImage, on_delete=models.PROTECT, related_name="+",
                              help_text="The image (single) or the left image (2-AFC).")
    second = models.ForeignKey(PoolImage, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               help_text="2-AFC: the right image.")
    repeat_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="repeats")
    served_at = models.DateTimeField(null=True, blank=True, help_text="First served: reading time starts here.")

    class Meta:
        ordering = ["reader", "position"]
        constraints = [models.UniqueConstraint(fields=["reader", "position"], name="one_trial_per_position")]


class Rating(models.Model):
    """A reader's answer to one trial. `client_id` is made in the browser, so a retry or a double
    press finds the stored rating instead of adding one."""

    client_id = models.UUIDField(unique=True)
    trial = models.OneToOneField(Trial, on_delete=models.PROTECT, related_name="rating")
    answer = models.CharField(max_length=9, blank=True,
                              help_text="single: real | synthetic; 2-AFC: left | right (which is real); empty if timed out.")
    confidence = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text="The bipolar scale: 1 = definitely real (2-AFC: left is real) … N = definitely synthetic "
                  "(right is real). The answer follows from it; empty if timed out.")
    realism = models.PositiveSmallIntegerField(null=True, blank=True)
    tell_text = models.CharField(max_length=500, blank=True)
    tell_x = models.FloatField(null=True, blank=True, help_text="0..1 of the image width.")
    tell_y = models.FloatField(null=True, blank=True)
    timed_out = models.BooleanField(default=False)
    rated_at = models.DateTimeField(auto_now_add=True)
    server_ms = models.PositiveIntegerField(null=True, blank=True, help_text="From serving the image to the rating.")
    client_ms = models.PositiveIntegerField(null=True, blank=True, help_text="As the browser measured it.")
    display = models.JSONField(default=dict, blank=True, help_text="Screen, devicePixelRatio, window, zoom.")

    class Meta:
        ordering = ["trial__reader", "trial__position"]


class BlindingAudit(NewestFirst):
    """One run of the blinding audit (studies.blinding) over the study's served pool images."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="blinding_audits")
    pool_fingerprint = models.CharField(max_length=64, help_text="The pool it audited (studies.audit).")
    result = models.JSONField(default=dict, help_text="auc, low, high, flagged, leaks, n_real, n_synthetic.")
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")


    @property
    def flagged(self) -> bool:
        return bool(self.result.get("flagged"))


class StudyAnalysis(NewestFirst):
    """One run of the report's analysis (studies/report.py) over the study's ratings at that moment.

    `final`: made after the study closed, so no rating can change it; the report page shows the
    newest analysis, and a closed study's newest is final."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="analyses")
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    result = models.JSONField(default=dict, help_text="studies.analysis.analyse output (docs/analysis.md).")
    automated = models.JSONField(default=dict, blank=True,
                                 help_text="The engine's automated Turing test on the same images.")
    plots = models.JSONField(default=dict, blank=True, help_text="plot name -> file path relative to MEDIA_ROOT.")
    final = models.BooleanField(default=False, help_text="Made after the study closed.")

    class Meta(NewestFirst.Meta):
        verbose_name_plural = "study analyses"

    def __str__(self) -> str:
        return f"Analysis of {self.study} ({self.created_at:%Y-%m-%d %H:%M})"

    def plot_path(self, name: str):
        from pathlib import Path

        relative = self.plots.get(name)
        return Path(settings.MEDIA_ROOT) / relative if relative else None

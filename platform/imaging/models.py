"""The image store: collections, series and images (real or synthetic), uploads and their reports.

Every image, whatever its origin, is a 16-bit master PNG plus display renditions made by one
pipeline (imaging/renditions.py, imaging/store.py). Readers reach an image only by its opaque
`token`; its `origin` is recorded for owners and analysis and is never served to a reader.
Later apps (reader studies, teaching cases) point at `Image` by foreign key and serve it by token.
"""
from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models

from core.ownership import OwnedQuerySet
from core.records import NewestFirst
from gan_engine.hu import HU_OFFSET


def new_token() -> str:
    """An opaque URL-safe token: 24 random bytes = 192 bits, 32 characters."""
    return secrets.token_urlsafe(24)


def new_secret_key() -> str:
    return secrets.token_hex(32)


class Origin(models.TextChoices):
    """An image's truth: owners and researchers see it, readers never do."""

    REAL = "real", "Real"
    SYNTHETIC = "synthetic", "Synthetic"


class CollectionKind(models.TextChoices):
    """What a collection holds; only real collections may train a model (generation.specs)."""

    REAL = "real", "Real (uploaded)"
    SYNTHETIC = "synthetic", "Synthetic (generated)"
    MIXED = "mixed", "Mixed"


class ImageCollection(NewestFirst):
    """A named set of images: an uploaded data set, a generated set, or a mix made for a study."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="image_collections")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=16, choices=CollectionKind.choices, default=CollectionKind.REAL)

    objects = OwnedQuerySet.as_manager()

    class Meta(NewestFirst.Meta):
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="unique_collection_name_per_owner")]

    def __str__(self) -> str:
        return self.name


class SeriesKind(models.TextChoices):
    """How a series is read: scrolled as a stack, or stepped through as a progression."""

    STACK = "stack", "Stack (slices of one acquisition)"
    PROGRESSION = "progression", "Progression (one patient over time)"


class ImageSeries(NewestFirst):
    """An ordered set of images read together: the slices of a stack or the steps of a progression."""

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="image_series")
    collection = models.ForeignKey(ImageCollection, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="series")
    kind = models.CharField(max_length=16, choices=SeriesKind.choices, default=SeriesKind.STACK)

    objects = OwnedQuerySet.as_manager()

    class Meta(NewestFirst.Meta):
        verbose_name_plural = "image series"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.token[:6]}…"


class ImageQuerySet(OwnedQuerySet):
    """Images are managed by their owner (administrators: all) and seen also by whoever a view
    grant admits: `for_user` is imaging.access.viewable_images."""

    def for_user(self, user) -> "ImageQuerySet":
        from imaging.access import viewable_images  # access.py imports this module: resolve at call time

        return viewable_images(user, self)


class Image(models.Model):
    """One 2-D image (a slice or a frame) with its master and renditions on disk.

    Stored values of the master: CT is HU + 1024 (`is_hu`); any other modality keeps its own
    16-bit values. Windows (`window_*`) are in display units: HU for CT, stored values otherwise."""

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="images")
    collection = models.ForeignKey(ImageCollection, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="images")
    series = models.ForeignKey(ImageSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="images")
    position = models.IntegerField(default=0, help_text="Order within the series, from 0.")
    origin = models.CharField(max_length=16, choices=Origin.choices,
                              help_text="Never shown to readers: the point of a visual Turing test.")
    modality = models.CharField(max_length=16, default="OT")
    is_hu = models.BooleanField(default=False, help_text="Master values are HU + 1024.")

    width = models.PositiveIntegerField(help_text="Master width, px (the canonical matrix).")
    height = models.PositiveIntegerField(help_text="Master height, px.")
    pixel_spacing_mm = models.FloatField(null=True, blank=True, help_text="Master pixel size, mm (square pixels).")
    source_width = models.PositiveIntegerField(null=True, blank=True, help_text="Before resampling, px.")
    source_height = models.PositiveIntegerField(null=True, blank=True)

    window_center = models.FloatField(help_text="Default window centre, display units.")
    window_width = models.FloatField(help_text="Default window width, display units.")
    window_presets = models.JSONField(default=list, blank=True, help_text='[{"name", "center", "width"}]')

    master = models.FileField(max_length=255, help_text="16-bit grayscale PNG.")
    display = models.FileField(max_length=255, help_text="8-bit PNG at the default window.")
    thumb = models.FileField(max_length=255, help_text="8-bit PNG thumbnail.")
    master_sha256 = models.CharField(max_length=64)
    display_sha256 = models.CharField(max_length=64)
    thumb_sha256 = models.CharField(max_length=64)

    provenance = models.JSONField(default=dict, blank=True,
                                  help_text="Synthetic: model, version, seed, conditions. Owners only.")
    source_header = models.JSONField(default=dict, blank=True,
                                     help_text="The de-identified DICOM header (no pixel data). Owners only.")
    ingest_file = models.ForeignKey("IngestedFile", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="images")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["series_id", "position", "id"]
        indexes = [models.Index(fields=["owner", "-created_at"]), models.Index(fields=["series", "position"])]

    def __str__(self) -> str:
        return f"{self.modality} image {self.token[:6]}…"

    @property
    def rescale_intercept(self) -> int:
        """Display value = stored value + this (HU for CT masters)."""
        return -HU_OFFSET if self.is_hu else 0


class UploadState(models.TextChoices):
    """An upload's life: open for files, then ingested by a worker job."""

    OPEN = "open", "Receiving files"
    SUBMITTED = "submitted", "Submitted for ingest"


class Upload(NewestFirst):
    """One upload by a researcher or educator: its files wait in quarantine until the ingest job
    has read, de-identified and stored them; the per-file outcomes form the ingest report."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploads")
    collection = models.ForeignKey(ImageCollection, on_delete=models.CASCADE, related_name="uploads")
    keep_originals = models.BooleanField(
        default=False, help_text="Owner opted in to keep the original files (separate private storage).")
    modality = models.CharField(max_length=16, default="OT",
                                help_text="Modality of PNG/TIFF files, which carry none (CT: values are HU + 1024).")
    state = models.CharField(max_length=16, choices=UploadState.choices, default=UploadState.OPEN)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    total_bytes = models.BigIntegerField(default=0)

    objects = OwnedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Upload {self.public_id} by {self.owner}"


class FileStatus(models.TextChoices):
    """What ingest made of one received file; a refused file keeps its reason."""

    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class IngestedFile(models.Model):
    """The ingest report line for one uploaded file (or one member of an uploaded zip).

    `name` is the owner's own file name, shown to the owner only. `removed` lists what
    de-identification did, by attribute and action, never the values."""

    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    archive = models.CharField(max_length=255, blank=True, help_text="The zip this file came from, if any.")
    size_bytes = models.BigIntegerField(default=0)
    quarantine_name = models.CharField(max_length=64, blank=True, help_text="Random name in quarantine.")
    kind = models.CharField(max_length=16, blank=True, help_text="dicom, png, tiff or zip, from the content.")
    status = models.CharField(max_length=16, choices=FileStatus.choices, default=FileStatus.PENDING)
    reason = models.TextField(blank=True, help_text="Why the file was rejected.")
    notes = models.JSONField(default=list, blank=True, help_text="Other remarks (e.g. colour converted).")
    removed = models.JSONField(default=list, blank=True,
                               help_text='De-identification actions: [{"tag", "keyword", "action", "count"}]')
    burned_in_annotation = models.BooleanField(default=False)
    original_kept = models.BooleanField(default=False)
    image_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.status}"


class DeidSecret(models.Model):
    """Per-owner secret behind consistent pseudonyms, date shifts and UID remapping.

    Same owner + same patient -> same date shift; same owner + same UID -> same new UID.
    Kept server-side only; without it the mapping cannot be recomputed or reversed."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deid_secret")
    key = models.CharField(max_length=128, default=new_secret_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

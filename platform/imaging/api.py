"""Imaging over the API: blinded image detail (the viewer's contract), owners' images, collections,
uploads (multipart, returns the ingest job) and their ingest reports.

The image detail never carries origin, provenance, file names or source header: readers get it too.
"""
from __future__ import annotations

from django.db.models import Count
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.access import role_permission
from accounts.roles import EDITORS
from core.api import UserQuerysetMixin
from core.ownership import get_owned_or_404
from imaging.models import FileStatus, Image, ImageCollection, IngestedFile, Upload
from imaging.uploads import UploadRefused, add_file, receive_upload, start_upload
from imaging.viewer import image_detail


class WindowSerializer(serializers.Serializer):
    center = serializers.FloatField(help_text="Display units: HU for CT, stored values otherwise.")
    width = serializers.FloatField()


class WindowPresetSerializer(WindowSerializer):
    name = serializers.CharField()


class RenditionUrlsSerializer(serializers.Serializer):
    master = serializers.CharField(help_text="16-bit grayscale PNG.")
    display = serializers.CharField(help_text="8-bit PNG at the default window.")
    thumb = serializers.CharField()
    detail = serializers.CharField(help_text="The image page with the viewer.")


class SeriesPlaceSerializer(serializers.Serializer):
    token = serializers.CharField()
    index = serializers.IntegerField(help_text="Where this image is among `tokens`, from 0.")
    count = serializers.IntegerField()
    tokens = serializers.ListField(child=serializers.CharField(), help_text="The members you may see, in order.")


class ImageDetailSerializer(serializers.Serializer):
    """What a reader's viewer receives: imaging.viewer.image_detail (the one home of the blinded
    contract); the fields below only describe it for the schema."""

    token = serializers.CharField()
    width = serializers.IntegerField(help_text="Master width, px.")
    height = serializers.IntegerField(help_text="Master height, px.")
    modality = serializers.CharField()
    pixel_spacing_mm = serializers.FloatField(allow_null=True)
    rescale_intercept = serializers.IntegerField(help_text="Display value = stored value + this.")
    units = serializers.CharField(help_text='"HU" for CT masters, else "".')
    window = WindowSerializer()
    window_presets = WindowPresetSerializer(many=True)
    urls = RenditionUrlsSerializer()
    series = SeriesPlaceSerializer(allow_null=True)

    def to_representation(self, image: Image) -> dict:
        return image_detail(image, self.context["request"].user)


class OwnedImageSerializer(serializers.ModelSerializer):
    """An owner's own view of an image: origin and provenance included."""

    collection = serializers.UUIDField(source="collection.public_id", read_only=True, allow_null=True)
    series = serializers.CharField(source="series.token", read_only=True, allow_null=True)

    class Meta:
        model = Image
        fields = ["token", "origin", "modality", "width", "height", "pixel_spacing_mm", "collection", "series",
                  "position", "provenance", "created_at"]
        read_only_fields = fields


class ImageViewSet(UserQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """GET /api/images/ (your images), GET /api/images/<token>/ (anyone `Image.objects.for_user` admits)."""

    lookup_field = "token"
    lookup_value_regex = r"[A-Za-z0-9_-]+"
    model = Image

    def get_serializer_class(self):
        return ImageDetailSerializer if self.action == "retrieve" else OwnedImageSerializer

    def queryset_for(self, user):
        images = Image.objects.owned_by_user(user).select_related("collection", "series")
        collection = self.request.query_params.get("collection")
        return images.filter(collection__public_id=collection) if collection else images.order_by("-created_at")

    def get_object(self) -> Image:
        return get_owned_or_404(Image.objects.select_related("series"), self.request.user, token=self.kwargs["token"])


class CollectionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    image_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ImageCollection
        fields = ["id", "name", "description", "kind", "image_count", "created_at"]
        read_only_fields = ["id", "image_count", "created_at"]

    def validate_name(self, name: str) -> str:
        owner = self.context["request"].user
        others = ImageCollection.objects.filter(owner=owner, name=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError("You already have a collection with this name.")
        return name


class CollectionViewSet(UserQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        viewsets.GenericViewSet):
    serializer_class = CollectionSerializer
    permission_classes = [role_permission(EDITORS)]
    lookup_field = "public_id"
    model = ImageCollection

    def queryset_for(self, user):
        return (ImageCollection.objects.owned_by_user(user)
                .annotate(image_count=Count("images")).order_by("-created_at", "-id"))

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)


class IngestedFileSerializer(serializers.ModelSerializer):
    images = serializers.SlugRelatedField(many=True, read_only=True, slug_field="token")

    class Meta:
        model = IngestedFile
        fields = ["name", "archive", "size_bytes", "kind", "status", "reason", "notes", "removed",
                  "burned_in_annotation", "original_kept", "image_count", "images"]
        read_only_fields = fields


class UploadSerializer(serializers.ModelSerializer):
    """An upload and its ingest report."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    job = serializers.UUIDField(source="job.public_id", read_only=True, allow_null=True)
    job_status = serializers.CharField(source="job.status", read_only=True, allow_null=True)
    collection = serializers.UUIDField(source="collection.public_id", read_only=True)
    files = IngestedFileSerializer(many=True, read_only=True)
    accepted = serializers.SerializerMethodField()
    rejected = serializers.SerializerMethodField()

    class Meta:
        model = Upload
        fields = ["id", "state", "job", "job_status", "collection", "keep_originals", "modality", "total_bytes",
                  "created_at", "accepted", "rejected", "files"]
        read_only_fields = fields

    def get_accepted(self, up: Upload) -> int:
        return sum(f.status == FileStatus.ACCEPTED for f in up.files.all())

    def get_rejected(self, up: Upload) -> int:
        return sum(f.status == FileStatus.REJECTED for f in up.files.all())


class UploadCreateSerializer(serializers.Serializer):
    """The schema of POST /api/uploads/; imaging.uploads.read_options reads it, with the same rules
    and sentences as the upload page."""

    files = serializers.ListField(child=serializers.FileField(allow_empty_file=True), required=False, default=list)
    collection = serializers.UUIDField(required=False, allow_null=True, help_text="An existing collection of yours.")
    collection_name = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                            help_text="Or a new collection by this name (default: dated).")
    keep_originals = serializers.BooleanField(required=False, default=False)
    modality = serializers.CharField(required=False, default="OT", max_length=16)
    start = serializers.BooleanField(required=False, default=True,
                                     help_text="false: add files one by one to /files/, then POST /start/.")


class UploadViewSet(UserQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """POST /api/uploads/ (multipart `files`), then follow the returned job; GET the ingest report.
    A refusal is {"detail": <the sentence the upload page shows>} with its status (imaging/uploads.py)."""

    serializer_class = UploadSerializer
    permission_classes = [role_permission(EDITORS)]
    lookup_field = "public_id"
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    model = Upload

    def queryset_for(self, user):
        return (Upload.objects.owned_by_user(user)
                .select_related("job", "collection").prefetch_related("files__images"))

    def handle_exception(self, exc):
        if isinstance(exc, UploadRefused):
            return Response({"detail": str(exc)}, status=exc.status)
        return super().handle_exception(exc)

    def _report(self, up: Upload) -> dict:
        return UploadSerializer(self.get_queryset().get(pk=up.pk)).data

    @extend_schema(request={"multipart/form-data": UploadCreateSerializer}, responses={201: UploadSerializer})
    def create(self, request):
        return Response(self._report(receive_upload(request)), status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": inline_serializer("UploadFile", {"file": serializers.FileField()})},
                   responses={201: IngestedFileSerializer})
    @action(detail=True, methods=["post"])
    def files(self, request, public_id=None):
        """Add one file (multipart `file`) to an upload that is still open."""
        record = add_file(request, self.get_object())
        return Response(IngestedFileSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=UploadSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, public_id=None):
        """Submit an open upload for ingest; returns it with its job."""
        return Response(self._report(start_upload(self.get_object())))

"""Imaging over the API: blinded image detail (the viewer's contract), owners' images, collections,
uploads (multipart, returns the ingest job) and their ingest reports.

The image detail never carries origin, provenance, file names or source header: readers get it too.
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import TooManyFilesSent
from django.db import transaction
from django.db.models import Count
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.access import role_permission
from accounts.roles import EDITORS
from core.ownership import get_owned_or_404
from imaging.models import FileStatus, Image, ImageCollection, IngestedFile, Upload, UploadState
from imaging.viewer import image_detail
from imaging.ingest import UploadTooLarge, add_upload_file, check_request_size, new_upload, submit_upload


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


class ImageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """GET /api/images/ (your images), GET /api/images/<token>/ (anyone `Image.objects.for_user` admits)."""

    lookup_field = "token"
    lookup_value_regex = r"[A-Za-z0-9_-]+"

    def get_serializer_class(self):
        return ImageDetailSerializer if self.action == "retrieve" else OwnedImageSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Image.objects.none()
        images = Image.objects.owned_by_user(self.request.user).select_related("collection", "series")
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


class CollectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        viewsets.GenericViewSet):
    serializer_class = CollectionSerializer
    permission_classes = [role_permission(EDITORS)]
    lookup_field = "public_id"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ImageCollection.objects.none()
        return (ImageCollection.objects.owned_by_user(self.request.user)
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
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=True), required=False, default=list)
    collection = serializers.UUIDField(required=False, allow_null=True, help_text="An existing collection of yours.")
    collection_name = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                            help_text="Or a new collection by this name (default: dated).")
    keep_originals = serializers.BooleanField(required=False, default=False)
    modality = serializers.CharField(required=False, default="OT", max_length=16)
    start = serializers.BooleanField(required=False, default=True,
                                     help_text="false: add files one by one to /files/, then POST /start/.")


TOO_MANY_FILES = ("At most {} files per request: put them in a zip archive, or add them one by one "
                  "(start=false, then POST each to /files/ and POST /start/).")


def _error_413(exc: UploadTooLarge) -> Response:
    return Response({"detail": str(exc)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)


class UploadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """POST /api/uploads/ (multipart `files`), then follow the returned job; GET the ingest report."""

    serializer_class = UploadSerializer
    permission_classes = [role_permission(EDITORS)]
    lookup_field = "public_id"
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Upload.objects.none()
        return (Upload.objects.owned_by_user(self.request.user)
                .select_related("job", "collection").prefetch_related("files__images"))

    @extend_schema(request={"multipart/form-data": UploadCreateSerializer}, responses={201: UploadSerializer})
    def create(self, request):
        try:
            check_request_size(request)
            request.FILES  # noqa: B018 - parse now, so that too many files is answered here
        except UploadTooLarge as exc:
            return _error_413(exc)
        except TooManyFilesSent:
            return Response({"detail": TOO_MANY_FILES.format(settings.DATA_UPLOAD_MAX_NUMBER_FILES)},
                            status=status.HTTP_400_BAD_REQUEST)
        data = UploadCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        options = data.validated_data
        collection = None
        if options.get("collection"):
            collection = ImageCollection.objects.filter(owner=request.user, public_id=options["collection"]).first()
            if collection is None:
                raise ValidationError({"collection": "No such collection of yours."})
        try:
            with transaction.atomic():
                up = new_upload(owner=request.user, collection=collection,
                                collection_name=options.get("collection_name", ""),
                                keep_originals=options["keep_originals"], modality=options["modality"])
                for uploaded in request.FILES.getlist("files"):
                    add_upload_file(up, uploaded)
                if options["start"]:
                    if not up.files.exists():
                        raise ValidationError({"files": "No files were uploaded."})
                    submit_upload(up)
        except UploadTooLarge as exc:
            return _error_413(exc)
        return Response(UploadSerializer(self.get_queryset().get(pk=up.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": inline_serializer("UploadFile", {"file": serializers.FileField()})},
                   responses={201: IngestedFileSerializer})
    @action(detail=True, methods=["post"])
    def files(self, request, public_id=None):
        """Add one file (multipart `file`) to an upload that is still open."""
        try:
            check_request_size(request)  # before the body is read
        except UploadTooLarge as exc:
            return _error_413(exc)
        up = self.get_object()
        if up.state != UploadState.OPEN:
            return Response({"detail": "This upload was already submitted."}, status=status.HTTP_409_CONFLICT)
        uploaded = request.FILES.get("file")
        if uploaded is None:
            raise ValidationError({"file": "No file was uploaded."})
        try:
            with transaction.atomic():
                record = add_upload_file(Upload.objects.select_for_update().get(pk=up.pk), uploaded)
        except UploadTooLarge as exc:
            return _error_413(exc)
        return Response(IngestedFileSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=UploadSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, public_id=None):
        """Submit an open upload for ingest; returns it with its job."""
        up = self.get_object()
        with transaction.atomic():
            locked = Upload.objects.select_for_update().get(pk=up.pk)
            if locked.state != UploadState.OPEN:
                return Response({"detail": "This upload was already submitted."}, status=status.HTTP_409_CONFLICT)
            if not locked.files.exists():
                raise ValidationError({"files": "Add at least one file first."})
            submit_upload(locked)
        return Response(UploadSerializer(self.get_queryset().get(pk=up.pk)).data)


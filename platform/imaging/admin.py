from django.contrib import admin

from imaging.models import Image, ImageCollection, ImageSeries, IngestedFile, Upload


@admin.register(ImageCollection)
class ImageCollectionAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "owner__username"]


@admin.register(ImageSeries)
class ImageSeriesAdmin(admin.ModelAdmin):
    list_display = ["token", "owner", "kind", "collection", "created_at"]
    list_filter = ["kind"]


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["token", "owner", "origin", "modality", "collection", "series", "position", "created_at"]
    list_filter = ["origin", "modality"]
    search_fields = ["token", "owner__username"]
    readonly_fields = ["token", "master", "display", "thumb", "master_sha256", "display_sha256", "thumb_sha256"]


class IngestedFileInline(admin.TabularInline):
    model = IngestedFile
    fields = ["name", "archive", "kind", "status", "reason", "burned_in_annotation", "original_kept", "image_count"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ["public_id", "owner", "collection", "state", "keep_originals", "total_bytes", "created_at"]
    list_filter = ["state", "keep_originals"]
    inlines = [IngestedFileInline]

"""Imaging pages (index, upload, ingest report, collection) and the blinded rendition views.

Renditions are served only through `rendition`: by opaque token, after `can_view`, with a neutral
file name, no Last-Modified, a strong ETag (SHA-256 of the bytes) and `Cache-Control: private`.
Anything a reader may not see is a 404, so that no response confirms that an image exists.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import TooManyFilesSent
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from accounts.access import role_required
from accounts.roles import EDITORS
from core.ownership import get_owned_or_404
from imaging.forms import UploadForm
from imaging.ingest import UploadTooLarge, add_upload_file, check_request_size, new_upload, submit_upload
from imaging.models import Image, ImageCollection, Upload

RENDITION_CACHE_CONTROL = "private, max-age=3600"


def _etag_matches(header: str, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    return any(tag.strip() in (etag, f"W/{etag}") for tag in header.split(","))


@require_safe
def rendition(request, token: str, kind: str):
    """GET /imaging/i/<token>/{master,display,thumb}.png"""
    image = get_owned_or_404(Image, request.user, token=token)
    field, digest = {
        "master": (image.master, image.master_sha256),
        "display": (image.display, image.display_sha256),
        "thumb": (image.thumb, image.thumb_sha256),
    }[kind]
    etag = f'"{digest}"'
    if _etag_matches(request.headers.get("If-None-Match", ""), etag):
        response = HttpResponseNotModified()
    else:
        with default_storage.open(field.name, "rb") as handle:
            response = HttpResponse(handle.read(), content_type="image/png")
        response["Content-Disposition"] = 'inline; filename="image.png"'
    response["ETag"] = etag
    response["Cache-Control"] = RENDITION_CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _recent_upload_jobs(user):
    uploads = Upload.objects.filter(owner=user).select_related("job", "collection")
    return uploads[:10]


@role_required(EDITORS)
def index(request):
    collections = ImageCollection.objects.filter(owner=request.user).annotate(image_count=Count("images"))
    return render(request, "imaging/index.html", {
        "collections": collections, "uploads": _recent_upload_jobs(request.user), "form": UploadForm(user=request.user),
        "max_upload_bytes": settings.IMAGING_MAX_UPLOAD_BYTES, "max_file_bytes": settings.IMAGING_MAX_FILE_BYTES,
    })


@role_required(EDITORS)
@require_POST
def upload(request):
    """The no-JavaScript path: one form post with all files, then the ingest report page."""
    try:
        check_request_size(request)
        request.FILES  # noqa: B018 - parse now, so that too many files is answered here
    except UploadTooLarge as exc:
        messages.error(request, str(exc))
        return redirect("imaging:index")
    except TooManyFilesSent:
        messages.error(request, f"At most {settings.DATA_UPLOAD_MAX_NUMBER_FILES} files per upload here: "
                                "put them in a zip archive, or use drag and drop.")
        return redirect("imaging:index")
    form = UploadForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        collections = ImageCollection.objects.filter(owner=request.user).annotate(image_count=Count("images"))
        return render(request, "imaging/index.html", {
            "collections": collections, "uploads": _recent_upload_jobs(request.user), "form": form,
            "max_upload_bytes": settings.IMAGING_MAX_UPLOAD_BYTES, "max_file_bytes": settings.IMAGING_MAX_FILE_BYTES,
        }, status=400)
    try:
        with transaction.atomic():
            up = new_upload(owner=request.user, **form.upload_options())
            for uploaded in request.FILES.getlist("files"):
                add_upload_file(up, uploaded)
            submit_upload(up)
    except UploadTooLarge as exc:
        messages.error(request, str(exc))
        return redirect("imaging:index")
    return redirect("imaging:upload-detail", public_id=up.public_id)


@role_required(EDITORS)
def upload_detail(request, public_id):
    """The ingest report: the job's progress bar, then one line per file."""
    up = get_owned_or_404(Upload.objects.select_related("job", "collection"), request.user, public_id=public_id)
    files = up.files.all()
    return render(request, "imaging/upload_detail.html", {
        "upload": up, "files": files, "job": up.job,
        "accepted": sum(f.status == "accepted" for f in files), "rejected": sum(f.status == "rejected" for f in files),
        "finished": up.job is None or up.job.is_finished,
    })


@role_required(EDITORS)
@require_safe
def collection_detail(request, public_id):
    collection = get_owned_or_404(ImageCollection, request.user, public_id=public_id)
    images = collection.images.order_by("series_id", "position", "id")
    return render(request, "imaging/collection_detail.html", {"collection": collection, "images": images})

"""Imaging pages (index, upload, ingest report, collection) and the blinded rendition views.

Renditions are served only through `rendition`: by opaque token, to those `Image.objects.for_user`
admits (imaging/access.py), with a neutral file name, no Last-Modified, a strong ETag (SHA-256 of
the bytes) and `Cache-Control: private`. Anything a reader may not see is a 404, so that no
response confirms that an image exists. Uploads are received by imaging/uploads.py.
"""
from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Count
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from accounts.access import role_required
from accounts.roles import EDITORS
from core.ownership import get_owned_or_404
from imaging.forms import UploadForm
from imaging.models import Image, ImageCollection, Upload
from imaging.uploads import UploadRefused, receive_upload

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


def _index(request, *, refusal: UploadRefused | None = None):
    collections = ImageCollection.objects.filter(owner=request.user).annotate(image_count=Count("images"))
    uploads = Upload.objects.filter(owner=request.user).select_related("job", "collection")[:10]
    return render(request, "imaging/index.html", {
        "collections": collections, "uploads": uploads, "form": UploadForm(user=request.user),
        "upload_error": str(refusal) if refusal else "",
        "max_upload_bytes": settings.IMAGING_MAX_UPLOAD_BYTES, "max_file_bytes": settings.IMAGING_MAX_FILE_BYTES,
    }, status=refusal.status if refusal else 200)


@role_required(EDITORS)
def index(request):
    return _index(request)


@role_required(EDITORS)
@require_POST
def upload(request):
    """The no-JavaScript path: one form post with all files, then the ingest report page. A refusal
    shows the upload page again with the sentence and status the API gives (imaging/uploads.py)."""
    try:
        up = receive_upload(request, start=True)
    except UploadRefused as refusal:
        return _index(request, refusal=refusal)
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

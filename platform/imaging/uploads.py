"""Receiving an upload: the one function behind both doors, the upload page (imaging/views.py) and
POST /api/uploads/ (imaging/api.py), plus the API's step-by-step pair `add_file` and `start_upload`.

`receive_upload` takes a request through: its size (from the header, before the body is read) ->
its files (at most DATA_UPLOAD_MAX_NUMBER_FILES) -> the options -> one transaction holding the
upload, each file written to quarantine with its report line, and the ingest job (enqueued after
commit). Each refusal is its own `UploadRefused` type with one sentence, which both doors show as
it is, with the HTTP status it carries; a refused upload leaves nothing behind, in the database or
in quarantine. A file over the per-file limit is not a refusal: it gets a rejected report line and
the others go on. What the files hold is judged later, file by file, by the ingest job
(imaging/ingest.py), whose report reads the same whichever door the files came through.
"""
from __future__ import annotations

import re
import secrets
import shutil
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import TooManyFilesSent, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.jobs import create_job
from imaging.models import CollectionKind, FileStatus, ImageCollection, IngestedFile, Upload, UploadState
from imaging.quarantine import display_name, quarantine_dir, readable_size
from imaging.tasks import ingest_upload_task

MULTIPART_FRAMING_BYTES = 1024 * 1024  # room for the multipart boundaries and form fields
MODALITY_CODE = re.compile(r"[A-Z0-9_ ]{1,16}")  # a DICOM CS value (PS3.5 6.2)
TRUE_WORDS, FALSE_WORDS = frozenset({"true", "1", "on", "yes"}), frozenset({"false", "0", "off", "no", ""})


class UploadRefused(Exception):
    """An upload, or a step of one, not received. `str(refusal)` is the sentence both doors show."""

    status = 400


class UploadTooLarge(UploadRefused):
    status = 413

    def __init__(self, size: int):
        limit = readable_size(settings.IMAGING_MAX_UPLOAD_BYTES)
        super().__init__(f"The upload is {readable_size(size)}; the limit is {limit} per upload: "
                         "split it into smaller uploads.")


class TooManyFiles(UploadRefused):
    def __init__(self):
        super().__init__(f"At most {settings.DATA_UPLOAD_MAX_NUMBER_FILES:,} files can be sent in one request: "
                         "put them in a zip archive, or add them one at a time.")


class NoFiles(UploadRefused):
    def __init__(self):
        super().__init__("Choose at least one file to upload.")


class UnknownCollection(UploadRefused):
    def __init__(self):
        super().__init__("No such collection of yours: choose one of your collections, or name a new one.")


class CollectionNameTooLong(UploadRefused):
    def __init__(self):
        max_length = ImageCollection._meta.get_field("name").max_length
        super().__init__(f"A collection name has at most {max_length} characters.")


class BadModality(UploadRefused):
    def __init__(self):
        super().__init__("The modality must be a DICOM code of at most 16 letters or digits, such as CT or MR.")


class NotTrueOrFalse(UploadRefused):
    def __init__(self, field: str):
        super().__init__(f"{field} must be true or false.")


class AlreadySubmitted(UploadRefused):
    status = 409

    def __init__(self):
        super().__init__("This upload was already submitted.")


@dataclass(frozen=True)
class UploadOptions:
    """What the uploader chose besides the files: the same fields on the page's form and in the API."""

    collection: ImageCollection | None  # one of the uploader's collections, else a new one named:
    collection_name: str                # "" = a dated name
    keep_originals: bool                # keep the original files (separate private storage)
    modality: str                       # of PNG/TIFF files, which carry none
    start: bool                         # submit for ingest now (the API may add files one by one first)


def upload_collections(user) -> QuerySet[ImageCollection]:
    """The collections an upload of `user` may go into: their own only. Not administrators' "all":
    the images an upload makes are the uploader's, and a collection holds its owner's images."""
    return ImageCollection.objects.filter(owner=user)


def check_request_size(request) -> None:
    """Refuse a request whose declared body is over the per-upload limit, without reading the body."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.IMAGING_MAX_UPLOAD_BYTES + MULTIPART_FRAMING_BYTES:
        raise UploadTooLarge(length)


def request_files(request, field: str) -> list:
    """The files of one multipart field; parsing the body here is what may find too many."""
    try:
        return request.FILES.getlist(field)
    except TooManyFilesSent:
        raise TooManyFiles() from None


def _flag(data, field: str, default: bool) -> bool:
    value = data.get(field, default)
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS or word in FALSE_WORDS:
        return word in TRUE_WORDS
    raise NotTrueOrFalse(field)


def read_options(data, owner) -> UploadOptions:
    """The options from a form post or an API body (a QueryDict or a JSON object)."""
    collection = None
    if data.get("collection"):
        try:
            collection = upload_collections(owner).filter(public_id=data["collection"]).first()
        except (ValidationError, ValueError):  # not a UUID: no such collection either
            collection = None
        if collection is None:
            raise UnknownCollection()
    name = str(data.get("collection_name") or "").strip()
    if len(name) > ImageCollection._meta.get_field("name").max_length:
        raise CollectionNameTooLong()
    modality = str(data.get("modality") or "OT").strip().upper() or "OT"
    if not MODALITY_CODE.fullmatch(modality):
        raise BadModality()
    return UploadOptions(collection=collection, collection_name=name, modality=modality,
                         keep_originals=_flag(data, "keep_originals", False), start=_flag(data, "start", True))


def receive_upload(request, *, start: bool | None = None) -> Upload:
    """Receive the upload a request carries (multipart `files` and the options), for its user.

    start: submit for ingest now; None = as the request's `start` field says (default true).
    Raises an UploadRefused subclass; then nothing was kept."""
    check_request_size(request)
    files = request_files(request, "files")
    options = read_options(getattr(request, "data", None) or request.POST, request.user)
    start = options.start if start is None else start
    if start and not files:
        raise NoFiles()
    upload = None
    try:
        with transaction.atomic():
            upload = _new_upload(request.user, options)
            for uploaded in files:
                _store_file(upload, uploaded)
            if start:
                _submit(upload)
    except BaseException:
        if upload is not None:  # the rows are rolled back: so go the bytes already in quarantine
            shutil.rmtree(quarantine_dir(upload), ignore_errors=True)
        raise
    return upload


def add_file(request, upload: Upload) -> IngestedFile:
    """Add the request's one file (multipart `file`) to an upload that is still open."""
    check_request_size(request)
    files = request_files(request, "file")
    if not files:
        raise NoFiles()
    with transaction.atomic():
        locked = Upload.objects.select_for_update().get(pk=upload.pk)
        if locked.state != UploadState.OPEN:
            raise AlreadySubmitted()
        return _store_file(locked, files[-1])


def start_upload(upload: Upload) -> Upload:
    """Submit an open upload that holds files for ingest."""
    with transaction.atomic():
        locked = Upload.objects.select_for_update().get(pk=upload.pk)
        if locked.state != UploadState.OPEN:
            raise AlreadySubmitted()
        if not locked.files.exists():
            raise NoFiles()
        _submit(locked)
    return locked


def _new_upload(owner, options: UploadOptions) -> Upload:
    """An open upload into the chosen collection, or into the owner's collection of that name (made if new)."""
    collection = options.collection
    if collection is None:
        name = options.collection_name or f"Upload {timezone.now():%Y-%m-%d %H:%M:%S}"
        collection, _ = ImageCollection.objects.get_or_create(owner=owner, name=name,
                                                              defaults={"kind": CollectionKind.REAL})
    if collection.kind == CollectionKind.SYNTHETIC:
        collection.kind = CollectionKind.MIXED
        collection.save(update_fields=["kind"])
    return Upload.objects.create(owner=owner, collection=collection, keep_originals=options.keep_originals,
                                 modality=options.modality)


def _store_file(upload: Upload, uploaded) -> IngestedFile:
    """Write one uploaded file into quarantine under a random name and add its report line.

    A file over IMAGING_MAX_FILE_BYTES gets a rejected line (its bytes are not kept); an upload whose
    total would pass IMAGING_MAX_UPLOAD_BYTES is refused."""
    size = int(uploaded.size or 0)
    name = display_name(uploaded.name)
    if upload.total_bytes + size > settings.IMAGING_MAX_UPLOAD_BYTES:
        raise UploadTooLarge(upload.total_bytes + size)
    if size > settings.IMAGING_MAX_FILE_BYTES:
        limit = readable_size(settings.IMAGING_MAX_FILE_BYTES)
        return IngestedFile.objects.create(upload=upload, name=name, size_bytes=size, status=FileStatus.REJECTED,
                                           reason=f"The file is {readable_size(size)}; the limit is {limit} per file.")
    folder = quarantine_dir(upload)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / secrets.token_hex(16)
    try:
        with open(target, "xb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
        upload.total_bytes += size
        upload.save(update_fields=["total_bytes"])
        return IngestedFile.objects.create(upload=upload, name=name, size_bytes=size, quarantine_name=target.name)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _submit(upload: Upload) -> None:
    """Close the upload and create its ingest job (enqueued after commit)."""
    job = create_job(task=ingest_upload_task, owner=upload.owner,
                     params={"upload": str(upload.public_id)}, max_attempts=2)
    upload.state, upload.job = UploadState.SUBMITTED, job
    upload.save(update_fields=["state", "job"])

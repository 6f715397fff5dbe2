"""The ingest job's work (worker side only): quarantine -> checks -> de-identification -> the one
rendition pipeline. Uploads arrive through imaging/uploads.py; imaging/tasks.py runs `ingest_upload`.

Each file is taken on its own — one bad file gets its own reason in the report and never stops the
others. Zips are opened member by member with caps on count, declared and actual uncompressed
sizes and ratio; member names are never used as paths.
DICOM (read by imaging/decoding.py on the engine's reader): non-image objects rejected; images that
may carry burned-in annotation (BurnedInAnnotation YES, Secondary Capture, screen captures) are
REJECTED (no review queue yet: nothing unreviewed that may show a name reaches the store); the
header is de-identified (imaging/deid.py) and kept as JSON; pixels go through
imaging/store.create_image. PNG/TIFF: pixels only, metadata dropped.
The original file is deleted from quarantine once read; it is kept (in IMAGING_ORIGINALS_ROOT,
outside the image store) only when the owner opted in for this upload.
"""
from __future__ import annotations

import logging
import secrets
import shutil
import stat
import zipfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import OperationalError, transaction

from imaging.decoding import DecodeError, Frames, burned_in_reason, dicom_frames, raster_frames, read_dicom
from imaging.deid import deidentify
from imaging.models import DeidSecret, FileStatus, Image, ImageSeries, IngestedFile, Origin, Upload
from imaging.quarantine import display_name, quarantine_dir, readable_size
from imaging.store import create_image, delete_image_files

logger = logging.getLogger(__name__)

EXTENSION_KINDS = {".dcm": "dicom", ".dicom": "dicom", ".png": "png", ".tif": "tiff", ".tiff": "tiff", ".zip": "zip"}
KIND_NAMES = {"dicom": "DICOM", "png": "PNG", "tiff": "TIFF", "zip": "zip archive"}
CHUNK = 1024 * 1024


def originals_root() -> Path:
    return Path(settings.IMAGING_ORIGINALS_ROOT or Path(settings.MEDIA_ROOT) / "originals")


class FileRejected(Exception):
    """This file cannot be ingested; the message is the reason shown in the report."""


def sniff(head: bytes) -> str | None:
    """The kind of file from its first bytes (at least 132), or None."""
    if head[128:132] == b"DICM":  # first: a DICOM preamble may itself look like TIFF (PS3.10 7.5)
        return "dicom"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip"
    return None


def detect_kind(path: Path, name: str) -> str:
    """What the content is, cross-checked against the file name's extension."""
    with open(path, "rb") as handle:
        head = handle.read(132)
    kind = sniff(head)
    expected = EXTENSION_KINDS.get(PurePosixPath(name.lower()).suffix)
    if kind is None and expected in (None, "dicom"):
        kind = _raw_dicom(path)  # DICOM without preamble (no "DICM"), common for files named IM0001
    if kind is None:
        if expected:
            raise FileRejected(f"The name says {KIND_NAMES[expected]} but the content is not a readable "
                               f"{KIND_NAMES[expected]} file.")
        raise FileRejected("Not a DICOM, PNG, TIFF or zip file.")
    if expected and expected != kind:
        raise FileRejected(f"The name says {KIND_NAMES[expected]} but the content is {KIND_NAMES[kind]}; "
                           "rename the file and upload it again.")
    return kind


def _raw_dicom(path: Path) -> str | None:
    try:
        ds = read_dicom(path, stop_before_pixels=True)
    except DecodeError:  # not DICOM, whatever the reader's complaint
        return None
    return "dicom" if "SOPClassUID" in ds and ("Rows" in ds or "Modality" in ds) else None


class _Ingest:
    """One ingest run over one upload."""

    def __init__(self, upload: Upload, progress: Callable[[float, str], None], should_stop: Callable[[], bool]):
        self.upload = upload
        self.owner = upload.owner
        self.progress, self.should_stop = progress, should_stop
        self.secret = DeidSecret.objects.get_or_create(owner=self.owner)[0].key
        self.folder = quarantine_dir(upload)
        # de-identified SeriesInstanceUID -> [(sort key, image)] for single-frame DICOM files
        self.stacks: dict[str, list[tuple[tuple, Image]]] = defaultdict(list)
        self.span = (0.0, 100.0)  # the share of the progress bar of the top-level file being read

    def run(self) -> dict:
        pending = list(self.upload.files.filter(status=FileStatus.PENDING).order_by("id"))
        for number, record in enumerate(pending, start=1):
            if self.should_stop():
                break
            self.span = (100 * (number - 1) / len(pending), 100 * number / len(pending))
            self.progress(self.span[0], f"File {number} of {len(pending)}")
            self.take(record)
        self.group_stacks()
        if not self.should_stop():
            shutil.rmtree(self.folder, ignore_errors=True)
        files = self.upload.files.all()
        return {"accepted": files.filter(status=FileStatus.ACCEPTED).count(),
                "rejected": files.filter(status=FileStatus.REJECTED).count(),
                "images": Image.objects.filter(ingest_file__upload=self.upload).count()}

    def take(self, record: IngestedFile) -> None:
        path = self.folder / record.quarantine_name if record.quarantine_name else None
        done = True
        try:
            if path is None or not path.is_file():
                raise FileRejected("The uploaded bytes are missing from quarantine.")
            record.kind = detect_kind(path, record.name)
            if record.kind == "zip":
                if record.archive:
                    raise FileRejected("Archives inside archives are not accepted.")
                self.expand_zip(record, path)
            else:
                created: list[Image] = []
                try:
                    with transaction.atomic():
                        self.ingest_file(record, path, created)
                        record.status = FileStatus.ACCEPTED
                        record.save()
                except BaseException:
                    for image in created:  # rolled back in the database: remove their files too
                        delete_image_files(image)
                    raise
        except (FileRejected, DecodeError) as exc:
            self.reject(record, str(exc))
        except OperationalError:
            done = False  # database trouble: the job is retried, so keep the bytes for the next attempt
            raise
        except Exception as exc:  # noqa: BLE001 - a bug on one file must not lose the others
            logger.exception("ingest of file %s failed", record.pk)
            self.reject(record, f"Unexpected error while reading this file ({type(exc).__name__}).")
        finally:
            if path is not None and done:
                path.unlink(missing_ok=True)

    def reject(self, record: IngestedFile, reason: str) -> None:
        record.status, record.reason = FileStatus.REJECTED, reason
        IngestedFile.objects.filter(pk=record.pk).update(status=record.status, reason=reason, kind=record.kind,
                                                          burned_in_annotation=record.burned_in_annotation,
                                                          removed=record.removed)

    # -- single files --

    def ingest_file(self, record: IngestedFile, path: Path, created: list[Image]) -> None:
        if record.kind == "dicom":
            frames, header, sort_key, series_uid = self.read_dicom(record, path)
        else:
            frames = raster_frames(path, modality=self.upload.modality)
            header, sort_key, series_uid = {}, (), None
            record.notes = frames.notes + ["No header to check for burned-in annotation; metadata not kept."]
        series = None
        if len(frames.frames) > 1:
            series = ImageSeries.objects.create(owner=self.owner, collection=self.upload.collection)
        for position, pixels in enumerate(frames.frames):
            image = create_image(owner=self.owner, pixels=pixels, is_hu=frames.is_hu, modality=frames.modality,
                                 origin=Origin.REAL, series=series, position=position,
                                 pixel_spacing_mm=frames.pixel_spacing_mm, collection=self.upload.collection,
                                 source_header=header, ingest_file=record)
            created.append(image)
            if series is None and series_uid:
                self.stacks[series_uid].append((sort_key, image))
        record.image_count = len(frames.frames)
        if frames.notes and record.kind == "dicom":
            record.notes = frames.notes
        if self.upload.keep_originals:
            self.keep_original(record, path)

    def read_dicom(self, record: IngestedFile, path: Path) -> tuple[Frames, dict, tuple, str | None]:
        ds = read_dicom(path)
        reason = burned_in_reason(ds)
        if reason:
            record.burned_in_annotation = True
            raise FileRejected(f"Rejected: possible burned-in annotation ({reason}). Such images are not "
                               "ingested; remove the text from the pixels and set BurnedInAnnotation NO.")
        frames = dicom_frames(ds)
        result = deidentify(ds, self.secret)
        record.removed = result.as_report()
        sort_key = (_number(ds.get("InstanceNumber")), _z(ds))
        series_uid = str(ds.get("SeriesInstanceUID", "")) or None
        return frames, header_json(ds), sort_key, series_uid

    def keep_original(self, record: IngestedFile, path: Path) -> None:
        folder = originals_root() / str(self.owner.pk) / str(self.upload.public_id)
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, folder / secrets.token_hex(16))
        record.original_kept = True

    # -- zips --

    def expand_zip(self, record: IngestedFile, path: Path) -> None:
        """Each member becomes its own report line, written to quarantine under a random name and
        ingested at once; an unsafe member is rejected alone. Caps: member count, per-member ratio,
        declared and actual uncompressed bytes (counted while extracting)."""
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise FileRejected(f"The zip archive cannot be opened ({exc}).") from None
        with archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) > settings.IMAGING_ZIP_MAX_MEMBERS:
                raise FileRejected(f"The archive holds {len(members):,} files; the limit is "
                                   f"{settings.IMAGING_ZIP_MAX_MEMBERS:,}.")
            record.status = FileStatus.ACCEPTED
            record.notes = [f"Archive with {len(members)} file(s); each is reported below."]
            record.save()
            budget = settings.IMAGING_ZIP_MAX_TOTAL_BYTES
            start, end = self.span
            for index, member in enumerate(members):
                if self.should_stop():
                    return
                if index % 10 == 0:
                    self.progress(start + (end - start) * index / len(members),
                                  f"{record.name}: file {index + 1} of {len(members)}")
                line = IngestedFile.objects.create(
                    upload=self.upload, name=display_name(member.filename), archive=record.name,
                    size_bytes=member.file_size)
                try:
                    stored = self.extract_member(archive, member, budget)
                except FileRejected as exc:
                    self.reject(line, str(exc))
                    continue
                budget -= (self.folder / stored).stat().st_size
                line.quarantine_name = stored
                line.save(update_fields=["quarantine_name"])
                self.take(line)

    def extract_member(self, archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int) -> str:
        name = member.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":"):
            raise FileRejected("Unsafe path in the archive (absolute or with '..'); the file was not extracted.")
        if stat.S_ISLNK(member.external_attr >> 16):
            raise FileRejected("Symbolic links in archives are not accepted.")
        if member.flag_bits & 0x1:
            raise FileRejected("Encrypted archive members are not accepted.")
        limit = min(settings.IMAGING_MAX_FILE_BYTES, budget)
        if member.file_size > limit:
            raise FileRejected(f"Declared size {readable_size(member.file_size)} is over the limit of "
                               f"{readable_size(limit)}.")
        max_ratio = settings.IMAGING_ZIP_MAX_RATIO
        if member.compress_size and member.file_size / member.compress_size > max_ratio:
            raise FileRejected(f"Compression ratio {member.file_size / member.compress_size:,.0f}:1 is over "
                               f"{max_ratio}:1 (possible zip bomb).")
        stored = secrets.token_hex(16)
        target = self.folder / stored
        written = 0
        try:
            with archive.open(member) as source, open(target, "xb") as out:
                while chunk := source.read(CHUNK):
                    written += len(chunk)
                    # never trust the header: count what actually comes out
                    if written > limit or written > max(member.compress_size, 1) * max_ratio:
                        raise FileRejected("The file inflates beyond its declared size or the ratio limit "
                                           "(possible zip bomb).")
                    out.write(chunk)
        except FileRejected:
            target.unlink(missing_ok=True)
            raise
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError) as exc:
            target.unlink(missing_ok=True)
            raise FileRejected(f"The archive member cannot be extracted: it is damaged or its size does not "
                               f"match its header ({exc}).") from None
        return stored

    # -- stacks --

    def group_stacks(self) -> None:
        """Single-frame DICOM images of one series in this upload become an ordered ImageSeries."""
        for items in self.stacks.values():
            if len(items) < 2:
                continue
            series = ImageSeries.objects.create(owner=self.owner, collection=self.upload.collection)
            for position, (_, image) in enumerate(sorted(items, key=lambda item: item[0])):
                image.series, image.position = series, position
                image.save(update_fields=["series", "position"])
        self.stacks.clear()


def _number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _z(ds) -> float:
    try:
        return float(ds.ImagePositionPatient[2])
    except (AttributeError, IndexError, TypeError, ValueError):
        return 0.0


BINARY_VRS = frozenset({"OB", "OD", "OF", "OL", "OV", "OW", "UN"})


def header_json(ds) -> dict:
    """The de-identified header as DICOM JSON (PS3.18 F.2), without pixel data or other binary values."""
    from pydicom.dataset import Dataset

    def strip(source) -> Dataset:
        out = Dataset()
        for elem in source:
            if elem.VR in BINARY_VRS or elem.keyword in ("PixelData", "FloatPixelData", "DoubleFloatPixelData"):
                continue
            if elem.VR == "SQ":
                out.add_new(elem.tag, "SQ", [strip(item) for item in elem.value or []])
            else:
                out.add(elem)
        return out

    try:
        return strip(ds).to_json_dict()
    except Exception:  # noqa: BLE001 - an odd header is no reason to lose the image
        logger.warning("could not convert a de-identified header to JSON", exc_info=True)
        return {}


def ingest_upload(upload: Upload, *, progress: Callable[..., None], should_stop: Callable[[], bool]) -> dict:
    """Ingest every pending file of `upload`; returns counts {accepted, rejected, images}."""
    return _Ingest(upload, progress, should_stop).run()

"""The plain functions behind the training task: run folder, data set, progress, registration.

A training job's run folder (MEDIA_ROOT/generation/runs/<job id>) holds gan_engine's resumable
checkpoint and its sample grids; a job that is cancelled, times out or loses its worker is
resumed by running the same task again on the same folder.
"""
from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from core.jobs import JobContext, JobError
from core.models import Job
from generation.models import CheckpointRoot, GanModel, TrainingSource
from generation.specs import is_public_id, trainable_collections

RUNS_FOLDER = "generation/runs"
REPORT_INTERVAL_S = 1.0  # a fast GPU logs many steps a second: one row update a second is plenty
_SAMPLE_NAME = re.compile(r"^step_(\d+)\.png$")


def run_dir_relative(job: Job) -> str:
    return f"{RUNS_FOLDER}/{job.public_id}"


def run_dir(job: Job) -> Path:
    return Path(settings.MEDIA_ROOT) / run_dir_relative(job)


def checkpoint_step(folder: Path) -> int:
    """Steps already trained in a run folder (0 when it holds no checkpoint yet)."""
    from gan_engine.checkpoint import CheckpointError, read_meta

    try:
        return int(read_meta(folder / "checkpoint")["stats"]["step"])
    except (CheckpointError, KeyError, TypeError, ValueError):
        return 0


def latest_sample(folder: Path) -> tuple[int, Path] | None:
    """(step, path) of the newest sample grid PNG of a run folder, or None."""
    found = [(int(m.group(1)), p) for p in (folder / "samples").glob("step_*.png")
             if (m := _SAMPLE_NAME.match(p.name))]
    return max(found) if found else None


def training_collection(job: Job):
    """The collection a training job trains on (None for the example CT), still one its owner may
    train on (TrainingSpec's rule); JobError once it is gone."""
    if job.params.get("source", TrainingSource.EXAMPLE_CT) == TrainingSource.EXAMPLE_CT:
        return None
    chosen = job.params.get("collection")
    collection = trainable_collections(job.owner).filter(public_id=chosen).first() if is_public_id(chosen) else None
    if collection is None:
        raise JobError("The image collection to train on no longer exists.")
    return collection


def dataset_for(job: Job, cfg):
    """The torch Dataset to train on: None for the example CT (the engine's default)."""
    collection = training_collection(job)
    if collection is None:
        return None
    from generation.realsets import CollectionDataset, collection_set

    return CollectionDataset(collection_set(collection, cfg.size))


def format_eta(seconds: float) -> str:
    seconds = int(max(seconds, 0))
    hours, rest = divmod(seconds, 3600)
    return f"{hours} h {rest // 60:02d} min" if hours else f"{rest // 60} min {rest % 60:02d} s"


def progress_reporter(ctx: JobContext, folder: Path, start_step: int, min_interval_s: float = REPORT_INTERVAL_S):
    """A gan_engine progress_fn writing step, losses, ETA and the newest sample grid onto the job,
    at most every `min_interval_s` seconds (and always for the last step)."""
    last = [float("-inf")]

    def report(p: dict[str, Any]) -> None:
        step, total = int(p["step"]), int(p["total_steps"])
        now = time.monotonic()
        if now - last[0] < min_interval_s and step < total:
            return
        last[0] = now
        sample = latest_sample(folder)
        losses = {k: round(float(v), 5) for k, v in p["losses"].items()}
        ctx.progress(100 * step / max(total, 1), f"Step {step} of {total} · ETA {format_eta(p['eta_s'])}",
                     step=step, total_steps=total, losses=losses, eta_s=round(float(p["eta_s"]), 1),
                     images_per_s=round(float(p["images_per_s"]), 2), resumed_from_step=start_step,
                     sample_step=sample[0] if sample else None)

    return report


def register_model(job: Job, cfg, result) -> GanModel:
    """The GanModel of a finished training job (the same row again if the job is re-run)."""
    from gan_engine.checkpoint import read_meta

    existing = GanModel.objects.filter(training_job=job).first()
    if existing is not None:
        return existing
    meta = read_meta(result.checkpoint)
    source = job.params.get("source", TrainingSource.EXAMPLE_CT)
    fields = GanModel.fields_from_checkpoint(meta)
    if source == TrainingSource.COLLECTION:  # uploaded images carry no labels: "normal" only
        fields.update(finding_classes=["normal"], supports_severity=False, supports_position=False)
    name = job.params.get("name") or f"{job.owner.username}-{cfg.size}px"
    collection = training_collection(job)
    for _ in range(3):  # two jobs finishing at once may pick the same version number
        try:
            with transaction.atomic():
                return GanModel.objects.create(
                    name=name, version=GanModel.next_version(name), description=job.params.get("description", ""),
                    training_source=source, training_collection=collection,
                    training_job=job, checkpoint_root=CheckpointRoot.MEDIA,
                    checkpoint_path=f"{run_dir_relative(job)}/checkpoint", created_by=job.owner, **fields)
        except IntegrityError:
            continue
    raise JobError(f"Could not register the model “{name}”: its version number kept clashing.")

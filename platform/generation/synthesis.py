"""Turning a GenerationSpec into images in the imaging store (origin synthetic) with provenance.

Pixels are made first, with no database writes; then the collection, series, images and patient
cases are saved in one transaction, and the files of any image already written are removed if a
later one fails, so a failed job leaves nothing half-saved. Imported by tasks only (torch).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction

from core.jobs import JobError
from generation.models import GanModel, PatientCase
from generation.specs import GenerationSpec


@dataclass
class Frame:
    """One image to store: HU pixels and what goes into its provenance."""

    hu: np.ndarray                  # float32 [H, W] Hounsfield units
    seed: int
    condition: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)   # progression step, patient profile, answers
    case: Any = None                # gan_engine TeachingCase (patient_cases) with its profile
    profile: Any = None


def load_model(model: GanModel, device: str = "auto"):
    """gan_engine.load_checkpoint for a registry row; JobError for a missing, corrupt or swapped checkpoint."""
    from gan_engine.checkpoint import CheckpointError, load_checkpoint

    try:
        loaded = load_checkpoint(model.checkpoint_dir, device=device)
    except CheckpointError as exc:
        raise JobError(f"The checkpoint of {model} cannot be used: {exc}") from None
    if loaded.sha256 != model.checkpoint_sha256:
        raise JobError(f"The checkpoint of {model} has changed since it was registered "
                       f"(sha256 {loaded.sha256[:12]}… instead of {model.checkpoint_sha256[:12]}…).")
    return loaded


def make_frames(loaded, spec: GenerationSpec) -> list[Frame]:
    """Run the engine for the spec; returns the frames in storage order."""
    from gan_engine.conditions import Condition
    from gan_engine.data.intensity import unit_to_hu
    from gan_engine.patients import draw_case, sample_reference_cohort
    from gan_engine.lesion_progression import progression
    from gan_engine.sample import generate

    if spec.output == "progression":
        series = progression(loaded, spec.schedule, spec.seed, steps=spec.steps, finding=spec.finding,
                             position=(spec.x, spec.y), placement=spec.placement)
        hu = unit_to_hu(series.frames).numpy()
        return [Frame(hu[t, 0], spec.seed, c.to_dict(),
                      {"progression": {"schedule": spec.schedule, "time_point": t, "of": len(series.severities),
                                       "severity": s, "diameter_mm": d},
                       **_placement(spec.x, spec.y, series.moved_into_lung[t])})
                for t, (c, s, d) in enumerate(zip(series.conditions, series.severities, series.diameters_mm))]
    if spec.output == "patient_cases":
        profiles = sample_reference_cohort(spec.n, seed=spec.seed)
        rng = np.random.default_rng(spec.seed)
        cases = [draw_case(p, rng, finding=spec.finding or None) for p in profiles]
        samples = generate(loaded, spec.n, [c.condition for c in cases], spec.seed, truncation=spec.truncation,
                           placement=spec.placement)
        hu = samples.to_hu().numpy()
        # The engine may have moved a nodule into this patient's lung: store where it was drawn.
        return [Frame(hu[i, 0], samples.seeds[i], samples.conditions[i].to_dict(),
                      {"patient": profiles[i].to_dict(), "case": cases[i].to_dict(),
                       **_placement(cases[i].condition.x, cases[i].condition.y, samples.moved_into_lung[i])},
                      cases[i], profiles[i])
                for i in range(spec.n)]
    condition = Condition(spec.finding, spec.severity, spec.x, spec.y)
    samples = generate(loaded, spec.n, condition, spec.seed, truncation=spec.truncation, placement=spec.placement)
    hu = samples.to_hu().numpy()
    return [Frame(hu[i, 0], samples.seeds[i], samples.conditions[i].to_dict(),
                  _placement(spec.x, spec.y, samples.moved_into_lung[i]))
            for i in range(spec.n)]


def _placement(x: float, y: float, moved_into_lung: bool) -> dict[str, Any]:
    """Provenance extra when the engine moved the nodule into the lung: where it was asked for."""
    if not moved_into_lung:
        return {}
    return {"placement": {"requested": {"x": x, "y": y}, "moved_into_lung": True}}


def provenance(model: GanModel, loaded, spec: GenerationSpec, frame: Frame, job) -> dict[str, Any]:
    """gan_engine.export.Provenance for one image, plus the registry row and job (by public id), what
    the job made (`output`) and the frame's extras."""
    from gan_engine.conditions import Condition
    from gan_engine.export import Provenance

    record = Provenance(model_name=model.name, model_version=model.version, checkpoint_sha256=loaded.sha256,
                        seed=int(frame.seed), conditions=(Condition.from_dict(frame.condition),)).to_dict()
    return {**record, "gan_model": str(model.public_id), "job": str(job.public_id), "output": spec.output,
            "truncation": spec.truncation, "pixel_spacing_mm": loaded.pixel_spacing_mm, **frame.extra}


def save_frames(model: GanModel, loaded, spec: GenerationSpec, frames: list[Frame], job):
    """Store the frames as one synthetic collection (a progression also as one ordered series);
    returns (collection, series or None, images)."""
    from imaging.models import CollectionKind, ImageCollection, ImageSeries, SeriesKind
    from imaging.store import create_image, delete_image_files

    images = []
    try:
        with transaction.atomic():
            collection = ImageCollection.objects.create(
                owner=job.owner, kind=CollectionKind.SYNTHETIC,
                name=f"{model} · {spec.output.replace('_', ' ')} · seed {spec.seed} · {job.public_id.hex[:8]}",
                description=f"Generated by job {job.public_id} from {model} (sha256 {loaded.sha256[:12]}…).")
            series = None
            if spec.output == "progression":
                series = ImageSeries.objects.create(owner=job.owner, collection=collection,
                                                    kind=SeriesKind.PROGRESSION)
            for position, frame in enumerate(frames):
                image = create_image(owner=job.owner, pixels=frame.hu, is_hu=True, modality=model.modality,
                                     origin="synthetic", provenance=provenance(model, loaded, spec, frame, job),
                                     series=series, position=position, pixel_spacing_mm=loaded.pixel_spacing_mm,
                                     collection=collection)
                images.append(image)
                if frame.case is not None:
                    PatientCase.objects.create(
                        owner=job.owner, gan_model=model, job=job, image=image, profile=frame.profile.to_dict(),
                        history=frame.profile.history, condition=frame.condition,
                        diameter_mm=frame.case.diameter_mm, brock_risk=frame.case.brock_risk,
                        fleischner=frame.extra["case"]["fleischner"], answer_text=frame.case.answer_text)
    except BaseException:
        for image in images:
            delete_image_files(image)
        raise
    return collection, series, images

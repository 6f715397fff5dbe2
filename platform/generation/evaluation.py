"""The plain function behind the evaluation task: a model's fakes against its real set, through
gan_engine.metrics.evaluate, stored as an `Evaluation` with its plots. Imported by tasks only."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from core.jobs import JobContext, JobError
from core.models import Job
from generation import plots
from generation.models import Evaluation, GanModel, TrainingSource
from generation.specs import EvaluationSpec

EVALUATIONS_FOLDER = "generation/evaluations"
FEATURE_CACHE_FOLDER = "generation/feature-cache"
# What the registry keeps of each metric (the model row and the API): the value, its 95% CI, the
# sample sizes, and the feature space it was computed in (None: on pixels).
SUMMARY_FIELDS = ("value", "ci_low", "ci_high", "n_real", "n_fake", "feature_space_label")


def real_set(model: GanModel, n: int, seed: int):
    from generation.realsets import collection_set, example_ct_set

    if model.training_source == TrainingSource.EXAMPLE_CT:
        return example_ct_set(model.resolution, n, seed)
    if model.training_collection is None:
        raise JobError(f"The image collection {model} was trained on no longer exists: nothing to compare with.")
    return collection_set(model.training_collection, model.resolution, limit=n)


def training_set_results(metrics: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The results of metrics that compare the fakes with the training set (the engine's registry
    declares `uses_training_set`): their nearest pairs show training images."""
    from gan_engine.metrics import METRICS

    return [metrics[key] for metric in METRICS.values() if metric.uses_training_set
            for key in metric.keys if key in metrics]


def run_evaluation(job: Job, ctx: JobContext, spec: EvaluationSpec, loaded) -> Evaluation | None:
    """Evaluate `spec.gan_model` (already loaded) as the spec says; None if the job was asked to stop."""
    from gan_engine.conditions import Condition
    from gan_engine.metrics import METRICS, evaluate, results_to_json
    from gan_engine.sample import generate

    model = spec.gan_model
    ctx.progress(5, "Reading the real images…")
    real = real_set(model, spec.n_real, spec.seed)
    conditions = real.conditions or [{"finding": "normal", "severity": 0.0, "x": 0.5, "y": 0.5}]
    fake_conditions = [Condition.from_dict(conditions[i % len(conditions)]) for i in range(spec.n_fake)]
    if ctx.should_stop():
        return None
    ctx.progress(25, f"Generating {spec.n_fake} synthetic images…")
    # Seeds far from the 0.. range users sample with, so the comparison set is not a gallery favourite.
    fake = generate(loaded, spec.n_fake, fake_conditions, seed=1_000_000 + spec.seed).images.numpy()
    if ctx.should_stop():
        return None
    ctx.progress(45, "Computing metrics…")
    cache = Path(settings.MEDIA_ROOT) / FEATURE_CACHE_FOLDER
    metrics = results_to_json(evaluate(real.images, fake, n_bootstrap=spec.n_bootstrap, seed=spec.seed,
                                       cache_dir=cache))
    # The engine leaves out metrics the set sizes cannot support (k-NN ones need k + 1 samples): say so.
    skipped = [name for name, metric in METRICS.items() if not any(key in metrics for key in metric.keys)]
    ctx.progress(85, "Drawing plots…")
    relative = f"{EVALUATIONS_FOLDER}/{job.public_id}"
    folder = Path(settings.MEDIA_ROOT) / relative
    files = {"metric_table": plots.metric_table(metrics, folder / "metric_table.png"),
             "sample_grid": plots.sample_grid(fake[:16], folder / "sample_grid.png")}
    training_set = training_set_results(metrics)
    if training_set:  # the memorisation check: its nearest pairs beside each other
        name = Evaluation.TRAINING_IMAGES_PLOT
        files[name] = plots.nearest_pairs(real.images, fake, training_set[0], folder / f"{name}.png")
    inputs = {"n_real": spec.n_real, "n_fake": spec.n_fake, "seed": spec.seed, "n_bootstrap": spec.n_bootstrap,
              "real_set": real.source, "checkpoint_sha256": loaded.sha256, "skipped_metrics": skipped}
    with transaction.atomic():
        evaluation = Evaluation.objects.create(
            gan_model=model, job=job, metrics=metrics, created_by=job.owner, inputs=inputs,
            plots={name: f"{relative}/{path.name}" for name, path in files.items()})
        model.metrics = {"evaluation": str(evaluation.public_id), **summary(metrics)}
        model.save(update_fields=["metrics"])
    return evaluation


def summary(metrics: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """SUMMARY_FIELDS per metric, without the per-sample extras (for the model row and the API)."""
    return {key: {f: m.get(f) for f in SUMMARY_FIELDS} for key, m in metrics.items()}

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

EVALUATIONS_FOLDER = "generation/evaluations"
FEATURE_CACHE_FOLDER = "generation/feature-cache"
DEFAULTS = {"n_real": 64, "n_fake": 64, "seed": 0, "n_bootstrap": 100}
LIMITS = {"n_real": (4, 2000), "n_fake": (4, 2000), "seed": (0, 2**31 - 1), "n_bootstrap": (0, 2000)}


def evaluation_params(params: dict[str, Any]) -> dict[str, int]:
    """Defaults filled in and ranges checked; ValueError names the offending field."""
    out = {}
    for key, default in DEFAULTS.items():
        value = params.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).lstrip("-").isdigit():
            raise ValueError(f"{key} must be a whole number, got {value!r}")
        low, high = LIMITS[key]
        if not low <= int(value) <= high:
            raise ValueError(f"{key} must lie in {low}..{high}, got {value}")
        out[key] = int(value)
    return out


def real_set(model: GanModel, n: int, seed: int):
    from generation.realsets import collection_set, example_ct_set

    if model.training_source == TrainingSource.EXAMPLE_CT:
        return example_ct_set(model.resolution, n, seed)
    if model.training_collection is None:
        raise JobError(f"The image collection {model} was trained on no longer exists: nothing to compare with.")
    return collection_set(model.training_collection, model.resolution, limit=n)


def run_evaluation(job: Job, ctx: JobContext, model: GanModel, loaded) -> Evaluation | None:
    """Evaluate `model` (already loaded) as the job's params say; None if the job was asked to stop."""
    from gan_engine.conditions import Condition
    from gan_engine.metrics import METRICS, evaluate, results_to_json
    from gan_engine.sample import generate

    try:
        p = evaluation_params(job.params)
    except ValueError as exc:
        raise JobError(str(exc)) from None
    ctx.progress(5, "Reading the real images…")
    real = real_set(model, p["n_real"], p["seed"])
    conditions = real.conditions or [{"finding": "normal", "severity": 0.0, "x": 0.5, "y": 0.5}]
    fake_conditions = [Condition.from_dict(conditions[i % len(conditions)]) for i in range(p["n_fake"])]
    if ctx.should_stop():
        return None
    ctx.progress(25, f"Generating {p['n_fake']} synthetic images…")
    # Seeds far from the 0.. range users sample with, so the comparison set is not a gallery favourite.
    fake = generate(loaded, p["n_fake"], fake_conditions, seed=1_000_000 + p["seed"]).images.numpy()
    if ctx.should_stop():
        return None
    ctx.progress(45, "Computing metrics…")
    cache = Path(settings.MEDIA_ROOT) / FEATURE_CACHE_FOLDER
    metrics = results_to_json(evaluate(real.images, fake, n_bootstrap=p["n_bootstrap"], seed=p["seed"],
                                       cache_dir=cache))
    # The engine leaves out metrics the set sizes cannot support (k-NN ones need k + 1 samples): say so.
    skipped = [name for name, metric in METRICS.items() if not any(key in metrics for key in metric.keys)]
    ctx.progress(85, "Drawing plots…")
    relative = f"{EVALUATIONS_FOLDER}/{job.public_id}"
    folder = Path(settings.MEDIA_ROOT) / relative
    files = {"metric_table": plots.metric_table(metrics, folder / "metric_table.png"),
             "sample_grid": plots.sample_grid(fake[:16], folder / "sample_grid.png")}
    if "memorisation" in metrics:
        files["nearest_pairs"] = plots.nearest_pairs(real.images, fake, metrics["memorisation"],
                                                     folder / "nearest_pairs.png")
    with transaction.atomic():
        evaluation = Evaluation.objects.create(
            gan_model=model, job=job, metrics=metrics, created_by=job.owner,
            inputs={**p, "real_set": real.source, "checkpoint_sha256": loaded.sha256, "skipped_metrics": skipped},
            plots={name: f"{relative}/{path.name}" for name, path in files.items()})
        model.metrics = {"evaluation": evaluation.pk, **summary(metrics)}
        model.save(update_fields=["metrics"])
    return evaluation


def summary(metrics: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Value and CI per metric, without the per-sample extras (for the model row and the API)."""
    return {k: {f: m.get(f) for f in ("value", "ci_low", "ci_high", "n_real", "n_fake")} for k, m in metrics.items()}

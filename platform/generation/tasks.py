"""GPU jobs: train a GAN, generate images from one, evaluate one. Thin wrappers over gan_engine;
`job_task` claims and locks the row, the helpers in training/synthesis/evaluation do the rest.
Generation and evaluation read their params back through the spec the doors used (generation/specs.py),
so a hand-made job row is checked as a request is. torch is imported inside each task (CUDA cannot
initialise in a forked child)."""
from __future__ import annotations

from core.jobs import JobContext, JobError, job_task
from core.models import Job
from generation.specs import EvaluationSpec, GenerationSpec, SpecError


def _spec(spec_class, job: Job, what: str):
    try:
        return spec_class.from_params(job.params, user=job.owner)
    except SpecError as exc:
        raise JobError(f"Invalid {what} request: {exc.sentence}") from None


@job_task(name="generation.train", queue="gpu", time_limit=24 * 3600)
def train_gan(job: Job, ctx: JobContext) -> None:
    """Train on the job's data set, resuming from the run folder's checkpoint; register the model."""
    from gan_engine.checkpoint import CheckpointError
    from gan_engine.config import TrainConfig, config_from_dict
    from gan_engine.training import train

    from generation import training

    cfg = config_from_dict(TrainConfig, job.params["config"])  # as resolved at creation, never re-resolved
    folder = training.run_dir(job)
    start = training.checkpoint_step(folder)
    ctx.progress(100 * start / max(cfg.steps, 1), f"Resuming at step {start}…" if start else "Preparing data…",
                 step=start, total_steps=cfg.steps, resumed_from_step=start)
    try:
        result = train(cfg, folder, progress_fn=training.progress_reporter(ctx, folder, start),
                       should_stop=ctx.should_stop, dataset=training.dataset_for(job, cfg))
    except CheckpointError as exc:
        raise JobError(f"Cannot resume from the run's checkpoint: {exc}") from None
    if result.stopped:
        # The reporter is throttled: record exactly where the resumable checkpoint stands.
        ctx.progress(100 * result.step / max(cfg.steps, 1), f"Stopped at step {result.step} of {cfg.steps}.",
                     step=result.step, total_steps=cfg.steps, resumed_from_step=start)
    else:
        model = training.register_model(job, cfg, result)
        ctx.set_result(model, gan_model=str(model.public_id), steps=result.step, resumed_from_step=start,
                       sha256=result.sha256)


@job_task(name="generation.generate", queue="gpu", time_limit=3600)
def generate_images(job: Job, ctx: JobContext) -> None:
    """Images, a progression series or patient-model cases from a registered model."""
    from generation import synthesis

    spec = _spec(GenerationSpec, job, "generation")
    model = spec.gan_model
    loaded = synthesis.load_model(model)
    ctx.progress(10, f"Generating {spec.output.replace('_', ' ')}…")
    frames = synthesis.make_frames(loaded, spec)
    if ctx.should_stop():
        return
    ctx.progress(60, f"Storing {len(frames)} images…")
    collection, series, images = synthesis.save_frames(model, loaded, spec, frames, job)
    ctx.set_result(series or collection, collection=str(collection.public_id), series=series and series.token,
                   images=[image.token for image in images], gan_model=str(model.public_id))
    ctx.progress(100, f"Stored {len(images)} images in “{collection.name}”.")


@job_task(name="generation.evaluate", queue="gpu", time_limit=4 * 3600)
def evaluate_model(job: Job, ctx: JobContext) -> None:
    """The engine's metrics for a model against its real set, stored with plots."""
    from generation import synthesis
    from generation.evaluation import run_evaluation

    spec = _spec(EvaluationSpec, job, "evaluation")
    evaluation = run_evaluation(job, ctx, spec, synthesis.load_model(spec.gan_model))
    if evaluation is not None:
        ctx.set_result(evaluation, evaluation=str(evaluation.public_id), gan_model=str(spec.gan_model.public_id))
        ctx.progress(100, f"Evaluated {spec.gan_model} with {len(evaluation.metrics)} metrics.")

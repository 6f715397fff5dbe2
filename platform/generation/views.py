"""Generation pages: the model registry, a model's metrics and plots, and the train, generate and
evaluate forms. Jobs are followed on their own page; the training page also shows the newest sample
grid, served to the job's owner only."""
from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from accounts.access import role_required
from accounts.roles import EDITORS
from core.models import Job
from generation.api import start_evaluation, start_generation, start_training
from generation.forms import EvaluateForm, GenerateForm, TrainForm
from generation.models import Evaluation, GanModel, TrainingSource

JOB_KINDS = ("generation.train", "generation.generate", "generation.evaluate")


def _visible_model(request, pk: int) -> GanModel:
    model = get_object_or_404(GanModel.objects.select_related("created_by", "training_collection"), pk=pk)
    if not model.can_view(request.user):
        raise Http404  # never confirm that someone else's model exists
    return model


def _own_job(request, public_id, kind: str | None = None) -> Job:
    job = get_object_or_404(Job, public_id=public_id, kind__in=JOB_KINDS)
    if (job.owner_id != request.user.pk and not request.user.is_admin_role) or (kind and job.kind != kind):
        raise Http404
    return job


def _png(path) -> FileResponse:
    if path is None or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(EDITORS)
def index(request):
    models = GanModel.objects.visible_to(request.user).select_related("created_by")
    jobs = Job.objects.filter(owner=request.user, kind__in=JOB_KINDS)[:20]
    return render(request, "generation/index.html", {"models": models, "jobs": jobs})


@role_required(EDITORS)
def model_detail(request, pk: int):
    model = _visible_model(request, pk)
    return render(request, "generation/model_detail.html", {
        "model": model, "evaluation": model.latest_evaluation,
        "generate_form": GenerateForm(model=model), "evaluate_form": EvaluateForm(),
        "jobs": Job.objects.filter(owner=request.user, kind__in=JOB_KINDS[1:], params__gan_model=model.pk)[:10],
    })


@role_required(EDITORS)
def train(request):
    form = TrainForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        job = start_training(request.user, form.cleaned_data)
        messages.success(request, "Training queued.")
        return redirect("generation:job", public_id=job.public_id)
    return render(request, "generation/train.html", {"form": form})


@role_required(EDITORS)
def generate(request, pk: int):
    model = _visible_model(request, pk)
    form = GenerateForm(request.POST or None, model=model)
    if request.method == "POST" and form.is_valid():
        job = start_generation(request.user, {"gan_model": model.pk, **form.cleaned_data["spec"].to_params()})
        return redirect("generation:job", public_id=job.public_id)
    return render(request, "generation/generate.html", {"model": model, "form": form})


@role_required(EDITORS)
def evaluate(request, pk: int):
    model = _visible_model(request, pk)
    form = EvaluateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = start_evaluation(request.user, {"gan_model": model.pk, **form.cleaned_data["params"]})
        return redirect("generation:job", public_id=job.public_id)
    return render(request, "generation/evaluate.html", {"model": model, "form": form})


@role_required(EDITORS)
def job_detail(request, public_id):
    """A training, generation or evaluation job: live progress, then what it produced."""
    job = _own_job(request, public_id)
    context = {"job": job, "model": None, "images": [], "evaluation": None}
    if job.kind == "generation.train":
        context["model"] = GanModel.objects.filter(training_job=job).first()
    elif job.kind == "generation.generate" and job.result_data.get("images"):
        from imaging.models import Image

        context["images"] = Image.objects.filter(token__in=job.result_data["images"]).order_by("position", "id")
    elif job.kind == "generation.evaluate":
        context["evaluation"] = Evaluation.objects.filter(job=job).first()
    return render(request, "generation/job_detail.html", context)


@role_required(EDITORS)
def training_sample(request, public_id):
    """The newest sample grid of a training run (owner and administrators only)."""
    from generation.training import latest_sample, run_dir

    job = _own_job(request, public_id, kind="generation.train")
    found = latest_sample(run_dir(job))
    return _png(found[1] if found else None)


@role_required(EDITORS)
def evaluation_plot(request, pk: int, name: str):
    evaluation = get_object_or_404(Evaluation.objects.select_related("gan_model"), pk=pk)
    model = evaluation.gan_model
    if not model.can_view(request.user):
        raise Http404
    if name == "nearest_pairs" and model.training_source != TrainingSource.EXAMPLE_CT \
            and request.user.pk != model.created_by_id and not request.user.is_admin_role:
        raise Http404  # it shows the uploaded (real) training images: their owner's eyes only
    return _png(evaluation.plot_path(name))

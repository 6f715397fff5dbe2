"""Generation pages: the model registry, a model's metrics and plots, and the train, generate and
evaluate forms. Jobs are followed on their own page; the training page also shows the newest sample
grid, served to the job's owner only. Forms and the API end in the same spec (generation/specs.py)
and start jobs through the same functions (generation/jobs.py)."""
from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from accounts.access import role_required
from accounts.roles import EDITORS
from core.models import Job
from core.ownership import get_owned_or_404
from generation.forms import EvaluateForm, GenerateForm, TrainForm
from generation.jobs import start_evaluation, start_generation, start_training
from generation.models import Evaluation, GanModel
from generation.tasks import evaluate_model, generate_images, train_gan

JOB_KINDS = (train_gan.name, generate_images.name, evaluate_model.name)


def _visible_model(request, public_id) -> GanModel:
    return get_owned_or_404(GanModel.objects.select_related("created_by", "training_collection"), request.user,
                            public_id=public_id)


def _png(path) -> FileResponse:
    if path is None or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(EDITORS)
def index(request):
    models = GanModel.objects.for_user(request.user).select_related("created_by", "training_collection")
    return render(request, "generation/index.html", {
        "models": models, "jobs": request.user.jobs.filter(kind__in=JOB_KINDS)[:20]})


@role_required(EDITORS)
def model_detail(request, public_id):
    model = _visible_model(request, public_id)
    evaluation = model.latest_evaluation
    fixed = {"gan_model": model.public_id}
    return render(request, "generation/model_detail.html", {
        "model": model, "evaluation": evaluation, "plots": evaluation.plots_for(request.user) if evaluation else [],
        "generate_form": GenerateForm(user=request.user, fixed=fixed),
        "evaluate_form": EvaluateForm(user=request.user, fixed=fixed),
        "jobs": request.user.jobs.filter(kind__in=JOB_KINDS[1:], params__gan_model=str(model.public_id))[:10],
    })


@role_required(EDITORS)
def train(request):
    form = TrainForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        job = start_training(request.user, form.spec)
        messages.success(request, "Training queued.")
        return redirect("generation:job", public_id=job.public_id)
    return render(request, "generation/train.html", {"form": form})


def _start_on_model(request, public_id, form_class, start, template: str):
    """The generate and evaluate pages: a form fixed to one model whose spec starts one job."""
    model = _visible_model(request, public_id)
    form = form_class(request.POST or None, user=request.user, fixed={"gan_model": model.public_id})
    if request.method == "POST" and form.is_valid():
        job = start(request.user, form.spec)
        return redirect("generation:job", public_id=job.public_id)
    return render(request, template, {"model": model, "form": form})


@role_required(EDITORS)
def generate(request, public_id):
    return _start_on_model(request, public_id, GenerateForm, start_generation, "generation/generate.html")


@role_required(EDITORS)
def evaluate(request, public_id):
    return _start_on_model(request, public_id, EvaluateForm, start_evaluation, "generation/evaluate.html")


@role_required(EDITORS)
def job_detail(request, public_id):
    """A training, generation or evaluation job: live progress, then what it produced."""
    job = get_owned_or_404(Job.objects.filter(kind__in=JOB_KINDS), request.user, public_id=public_id)
    context = {"job": job, "model": None, "images": [], "evaluation": None, "plots": []}
    if job.kind == train_gan.name:
        context["model"] = GanModel.objects.filter(training_job=job).first()
    elif job.kind == generate_images.name and job.result_data.get("images"):
        from imaging.models import Image

        context["images"] = Image.objects.filter(token__in=job.result_data["images"]).order_by("position", "id")
    elif job.kind == evaluate_model.name:
        context["evaluation"] = evaluation = Evaluation.objects.filter(job=job).first()
        context["plots"] = evaluation.plots_for(request.user) if evaluation else []
    return render(request, "generation/job_detail.html", context)


@role_required(EDITORS)
def training_sample(request, public_id):
    """The newest sample grid of a training run (owner and administrators only)."""
    from generation.training import latest_sample, run_dir

    job = get_owned_or_404(Job.objects.filter(kind=train_gan.name), request.user, public_id=public_id)
    found = latest_sample(run_dir(job))
    return _png(found[1] if found else None)


@role_required(EDITORS)
def evaluation_plot(request, public_id, name: str):
    evaluation = get_owned_or_404(Evaluation.objects.select_related("gan_model"), request.user,
                                  public_id=public_id)
    if name not in evaluation.plots_for(request.user):
        raise Http404  # the nearest pairs of uploaded training images: their owner's eyes only
    return _png(evaluation.plot_path(name))

"""Fill the new public ids, and bring the data that named things the old way up to date:

- every GanModel and Evaluation gets its own uuid4 (0004 then makes the column unique);
- a generation's output kind was stored as "kind" (job params, image provenance): it is "output";
- job params, job results, image provenance and a model's metrics named models, evaluations and
  collections by integer primary key: they hold public ids, as the API does;
- a model's metric summary gains the feature space each metric was computed in, read from the
  evaluation it came from (an FID means nothing without it).

Reversible: backwards restores the old keys and integer ids (the public ids stay until 0002 is reversed).
The task names are written out: a migration must not import today's code.
"""
import uuid

from django.db import migrations

TRAIN, GENERATE, EVALUATE = "generation.train", "generation.generate", "generation.evaluate"


def _swap(data: dict, old: str, new: str, ids: dict) -> dict:
    """`data` with data[old] replaced by data[new] = ids[data[old]] (unchanged when old is absent)."""
    if old not in data:
        return data
    data = dict(data)
    value = data.pop(old)
    data[new] = ids.get(value, value)
    return data


def _rename(data: dict, old: str, new: str) -> dict:
    return _swap(data, old, new, {})


def _convert(apps, *, models: dict, evaluations: dict, collections: dict, forwards: bool) -> None:
    """Rewrite every affected row with the id maps given (old value -> new value)."""
    Job = apps.get_model("core", "Job")
    Image = apps.get_model("imaging", "Image")
    GanModel = apps.get_model("generation", "GanModel")
    Evaluation = apps.get_model("generation", "Evaluation")
    kind, output = ("kind", "output") if forwards else ("output", "kind")
    model_key = ("gan_model_id", "gan_model") if forwards else ("gan_model", "gan_model_id")

    for job in Job.objects.filter(task_name__in=(TRAIN, GENERATE, EVALUATE)):
        params, result = job.params, job.result_data
        if job.task_name == TRAIN:
            params = _swap(params, "collection", "collection", collections)
        else:
            params = _swap(params, "gan_model", "gan_model", models)
        if job.task_name == GENERATE:
            params = _rename(params, kind, output)
        result = _swap(result, "gan_model", "gan_model", models)
        result = _swap(result, "evaluation", "evaluation", evaluations)
        if (params, result) != (job.params, job.result_data):
            job.params, job.result_data = params, result
            job.save(update_fields=["params", "result_data"])

    for image in Image.objects.filter(origin="synthetic").only("pk", "provenance"):
        provenance = _rename(_swap(image.provenance, *model_key, models), kind, output)
        if provenance != image.provenance:
            image.provenance = provenance
            image.save(update_fields=["provenance"])

    labels = {}
    if forwards:
        for evaluation in Evaluation.objects.only("public_id", "metrics"):
            labels[str(evaluation.public_id)] = {key: m.get("feature_space_label")
                                                 for key, m in evaluation.metrics.items() if isinstance(m, dict)}
    for model in GanModel.objects.exclude(metrics={}):
        metrics = _swap(model.metrics, "evaluation", "evaluation", evaluations)
        for key, label in labels.get(metrics.get("evaluation"), {}).items():
            if isinstance(metrics.get(key), dict):
                metrics[key] = {**metrics[key], "feature_space_label": label}
        if not forwards:
            metrics = {k: {f: v for f, v in m.items() if f != "feature_space_label"} if isinstance(m, dict) else m
                       for k, m in metrics.items()}
        if metrics != model.metrics:
            model.metrics = metrics
            model.save(update_fields=["metrics"])


def _ids(apps, app: str, name: str) -> dict:
    model = apps.get_model(app, name)
    return {pk: str(public_id) for pk, public_id in model.objects.values_list("pk", "public_id")}


def forwards(apps, schema_editor):
    for name in ("GanModel", "Evaluation"):
        model = apps.get_model("generation", name)
        for row in model.objects.filter(public_id__isnull=True).only("pk"):
            row.public_id = uuid.uuid4()
            row.save(update_fields=["public_id"])
    _convert(apps, models=_ids(apps, "generation", "GanModel"), evaluations=_ids(apps, "generation", "Evaluation"),
             collections=_ids(apps, "imaging", "ImageCollection"), forwards=True)


def backwards(apps, schema_editor):
    def inverse(ids: dict) -> dict:
        return {public_id: pk for pk, public_id in ids.items()}

    _convert(apps, models=inverse(_ids(apps, "generation", "GanModel")),
             evaluations=inverse(_ids(apps, "generation", "Evaluation")),
             collections=inverse(_ids(apps, "imaging", "ImageCollection")), forwards=False)


class Migration(migrations.Migration):

    dependencies = [
        ("generation", "0002_public_ids"),
        ("core", "0002_job_kind_is_its_task_name"),
        ("imaging", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]

"""The migrations that gave models and evaluations public ids and renamed a generation's `kind` to
`output`: rows written the old way come out the new way (and back again)."""
from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("generation", "0001_initial"), ("core", "0001_initial")]
FID = {"value": 12.5, "ci_low": 11.0, "ci_high": 14.0, "n_real": 8, "n_fake": 8}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _old_rows(apps, owner_pk: int) -> dict:
    """What the platform wrote before: integer ids everywhere, the output under "kind"."""
    GanModel, Evaluation = apps.get_model("generation", "GanModel"), apps.get_model("generation", "Evaluation")
    Job, Image = apps.get_model("core", "Job"), apps.get_model("imaging", "Image")
    collection = apps.get_model("imaging", "ImageCollection").objects.create(owner_id=owner_pk, name="scans")
    models = [GanModel.objects.create(name=f"m{i}", resolution=64, checkpoint_path="x", checkpoint_sha256="0",
                                      created_by_id=owner_pk) for i in range(2)]
    evaluation = Evaluation.objects.create(gan_model=models[0], created_by_id=owner_pk, metrics={
        "fid": {**FID, "extra": {}, "feature_space_label": "random-CNN (untrained, seed 0)"},
        "ms_ssim_fake": {**FID, "extra": {}, "feature_space_label": None}})
    models[0].metrics = {"evaluation": evaluation.pk, "fid": FID, "ms_ssim_fake": FID}
    models[0].save()
    job = {"owner_id": owner_pk, "queue": "gpu"}
    jobs = {
        "train": Job.objects.create(kind="generation.train", task_name="generation.train", **job,
                                    params={"collection": collection.pk, "config": {}},
                                    result_data={"gan_model": models[1].pk}),
        "generate": Job.objects.create(kind="generation.generate", task_name="generation.generate", **job,
                                       params={"gan_model": models[0].pk, "kind": "images", "n": 2},
                                       result_data={"gan_model": models[0].pk, "images": ["t"]}),
        "evaluate": Job.objects.create(kind="generation.evaluate", task_name="generation.evaluate", **job,
                                       params={"gan_model": models[0].pk, "n_fake": 8},
                                       result_data={"evaluation": evaluation.pk, "gan_model": models[0].pk}),
        "ingest": Job.objects.create(kind="imaging.ingest", task_name="imaging.ingest_upload", owner_id=owner_pk,
                                     params={"upload": "u"}),
    }
    image = Image.objects.create(owner_id=owner_pk, origin="synthetic", width=1, height=1, window_center=0,
                                 window_width=1, provenance={"gan_model_id": models[0].pk, "kind": "images", "seed": 3})
    return {"collection": collection, "models": models, "evaluation": evaluation, "jobs": jobs, "image": image}


def test_old_rows_get_public_ids_and_output_and_come_back_when_reversed(alice):
    from core.models import Job
    from generation.models import Evaluation, GanModel
    from imaging.models import Image

    old = _old_rows(_migrate(BEFORE), alice.pk)
    try:
        _migrate(_latest())
        models = {m.pk: m for m in GanModel.objects.all()}
        first, second = (models[m.pk] for m in old["models"])
        evaluation = Evaluation.objects.get(pk=old["evaluation"].pk)
        assert first.public_id and second.public_id and first.public_id != second.public_id
        jobs = {name: Job.objects.get(pk=job.pk) for name, job in old["jobs"].items()}
        assert jobs["train"].params["collection"] == str(old["collection"].public_id)
        assert jobs["train"].result_data["gan_model"] == str(second.public_id)
        assert jobs["generate"].params == {"gan_model": str(first.public_id), "output": "images", "n": 2}
        assert jobs["generate"].result_data == {"gan_model": str(first.public_id), "images": ["t"]}
        assert jobs["evaluate"].result_data == {"evaluation": str(evaluation.public_id),
                                                "gan_model": str(first.public_id)}
        assert jobs["ingest"].kind == "imaging.ingest_upload"  # a job's kind is its task's name
        assert Image.objects.get(pk=old["image"].pk).provenance == {"gan_model": str(first.public_id),
                                                                    "output": "images", "seed": 3}
        assert first.metrics == {"evaluation": str(evaluation.public_id),
                                 "fid": {**FID, "feature_space_label": "random-CNN (untrained, seed 0)"},
                                 "ms_ssim_fake": {**FID, "feature_space_label": None}}

        apps = _migrate(BEFORE)
        Job = apps.get_model("core", "Job")
        assert Job.objects.get(pk=old["jobs"]["generate"].pk).params == {"gan_model": first.pk, "kind": "images",
                                                                         "n": 2}
        assert Job.objects.get(pk=old["jobs"]["train"].pk).params["collection"] == old["collection"].pk
        assert apps.get_model("imaging", "Image").objects.get(pk=old["image"].pk).provenance == \
            {"gan_model_id": first.pk, "kind": "images", "seed": 3}
        assert apps.get_model("generation", "GanModel").objects.get(pk=first.pk).metrics == \
            {"evaluation": evaluation.pk, "fid": FID, "ms_ssim_fake": FID}
    finally:
        _migrate(_latest())

"""A job's kind is its task's name (core.jobs.create_job derives it). Rows made before that named some
jobs by hand ('imaging.ingest' for the task 'imaging.ingest_upload', 'core.self_check' for the gpu
self-check): give them their task's name too, so one name means one thing in old rows as well."""
from django.db import migrations, models
from django.db.models import F


def kind_from_task_name(apps, schema_editor):
    Job = apps.get_model("core", "Job")
    Job.objects.exclude(kind=F("task_name")).update(kind=F("task_name"))


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="job",
            name="kind",
            field=models.CharField(help_text="What the job does: its task's name, e.g. 'imaging.ingest_upload'.",
                                   max_length=64),
        ),
        # Not reversible in content (the hand-typed names are gone); reversing keeps the task names.
        migrations.RunPython(kind_from_task_name, migrations.RunPython.noop),
    ]

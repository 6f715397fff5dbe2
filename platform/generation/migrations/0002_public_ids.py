# Public ids for models and evaluations, in three steps as Django's docs add a unique field to a
# table with rows: nullable here, filled in 0003, unique in 0004.
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("generation", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="ganmodel",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="evaluation",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
    ]

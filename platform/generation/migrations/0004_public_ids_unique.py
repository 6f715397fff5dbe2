import uuid

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("generation", "0003_public_ids_in_data_and_output"),
    ]

    operations = [
        migrations.AlterField(
            model_name="ganmodel",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="evaluation",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]

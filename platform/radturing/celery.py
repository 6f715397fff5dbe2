"""The one Celery app. Its queues are settings.JOB_QUEUES: `gpu` (training, generation) and `default`
(ingest, analysis, exports). GPU workers run `-Q gpu --pool=solo -c 1` and import torch inside tasks,
because CUDA cannot initialise in a forked child."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "radturing.settings")

app = Celery("radturing")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

"""The one Celery app. Two queues: `gpu` (training, generation) and `default` (ingest, analysis,
exports). GPU workers run `-Q gpu --pool=solo -c 1` and import torch inside tasks, because CUDA
cannot initialise in a forked child."""
import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "radturing.settings")

app = Celery("radturing")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("gpu"))
app.autodiscover_tasks()

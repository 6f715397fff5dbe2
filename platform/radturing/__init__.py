"""The Django project package. Loading the Celery app here lets @shared_task bind to it."""
from radturing.celery import app as celery_app

__all__ = ["celery_app"]

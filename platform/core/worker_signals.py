"""At worker start-up, jobs that were running under this worker's name died with it: re-queue them."""
from celery.signals import worker_ready


@worker_ready.connect
def reap_jobs_of_previous_run(sender=None, **_: object) -> None:
    from core.reaper import reap_orphaned_jobs

    reap_orphaned_jobs(dead_worker=getattr(sender, "hostname", None))

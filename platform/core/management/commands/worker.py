"""Start a Celery worker for this project (the embedded single-machine set-up uses this).

    python manage.py worker                  # both queues, solo pool, with the beat scheduler
    python manage.py worker --queues gpu     # a GPU worker: solo pool, concurrency 1
"""
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run a Celery worker on the default and gpu queues (embedded beat included unless --no-beat)."

    def add_arguments(self, parser):
        parser.add_argument("--queues", default="default,gpu")
        parser.add_argument("--no-beat", action="store_true", help="Do not run the periodic reaper here.")
        parser.add_argument("--loglevel", default="INFO")
        parser.add_argument("--hostname", default=None)

    def handle(self, *args, **options):
        from radturing.celery import app

        argv = ["worker", "-Q", options["queues"], "--pool=solo", "--concurrency=1",
                f"--loglevel={options['loglevel']}"]
        if not options["no_beat"]:
            argv.append("--beat")
        if options["hostname"]:
            argv.append(f"--hostname={options['hostname']}")
        app.worker_main(argv)

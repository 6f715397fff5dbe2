"""Start a Celery worker for this project (the embedded single-machine set-up uses this).

    python manage.py worker                  # every queue of settings.JOB_QUEUES, solo pool, with beat
    python manage.py worker --queues gpu     # a GPU worker: solo pool, concurrency 1
"""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run a Celery worker on the job queues (settings.JOB_QUEUES; embedded beat included unless --no-beat)."

    def add_arguments(self, parser):
        parser.add_argument("--queues", default=",".join(settings.JOB_QUEUES),
                            help=f"Comma-separated, from {', '.join(settings.JOB_QUEUES)} (default: all).")
        parser.add_argument("--no-beat", action="store_true", help="Do not run the periodic reaper here.")
        parser.add_argument("--loglevel", default="INFO")
        parser.add_argument("--hostname", default=None)

    def handle(self, *args, **options):
        # celery's current app is the project's (Django's fixup makes it the default): core never
        # imports the project package.
        from celery import current_app

        unknown = [q for q in options["queues"].split(",") if q not in settings.JOB_QUEUES]
        if unknown:
            raise CommandError(f"Unknown queue(s) {', '.join(unknown)}; the job queues are "
                               f"{', '.join(settings.JOB_QUEUES)} (settings.JOB_QUEUES).")
        argv = ["worker", "-Q", options["queues"], "--pool=solo", "--concurrency=1",
                f"--loglevel={options['loglevel']}"]
        if not options["no_beat"]:
            argv.append("--beat")
        if options["hostname"]:
            argv.append(f"--hostname={options['hostname']}")
        current_app.worker_main(argv)

"""Register a gan_engine checkpoint folder in the model registry (idempotent by name + version).

    python manage.py register_checkpoint runs/demo64/checkpoint --name chest-64 --version 2
"""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from generation.models import CheckpointRoot
from generation.seeding import register_checkpoint


class Command(BaseCommand):
    help = "Register a checkpoint folder (weights + config.json) as a GanModel."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--name", required=True)
        parser.add_argument("--version", default="1")
        parser.add_argument("--description", default="")
        parser.add_argument("--shared", action="store_true", help="Visible to every educator and researcher.")

    def handle(self, *args, folder: Path, name: str, version: str, description: str, shared: bool, **options):
        from gan_engine.checkpoint import CheckpointError

        folder = folder.resolve()
        media = Path(settings.MEDIA_ROOT).resolve()
        relative = str(folder.relative_to(media)) if folder.is_relative_to(media) else str(folder)
        try:
            model, created = register_checkpoint(folder, name=name, version=version, description=description,
                                                 root=CheckpointRoot.MEDIA, relative_path=relative, shared=shared)
        except CheckpointError as exc:
            raise CommandError(str(exc)) from None
        done = "Registered" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{done} {model} (id {model.public_id})."))

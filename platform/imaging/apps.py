from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete


def _delete_files_after_commit(sender, instance, **kwargs) -> None:
    from imaging.store import delete_image_files

    # After commit: a rolled-back delete must not lose the files of an image that still exists.
    transaction.on_commit(lambda: delete_image_files(instance))


class ImagingConfig(AppConfig):
    verbose_name = "Imaging store"
    name = "imaging"

    def ready(self) -> None:
        from imaging.models import Image

        post_delete.connect(_delete_files_after_commit, sender=Image, dispatch_uid="imaging.delete_image_files")

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core: jobs and shared pieces"

    def ready(self) -> None:
        from core import worker_signals  # noqa: F401  (connects the start-up reaper)

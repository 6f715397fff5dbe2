"""Docker does not run on these machines, so the deployment file is checked structurally: every
service, command, module and environment variable it relies on must exist in the code."""
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
SETTINGS_SOURCE = (ROOT / "platform" / "radturing" / "settings.py").read_text()


def _command(service: str) -> list[str]:
    command = SERVICES[service]["command"]
    return command if isinstance(command, list) else command.split()


def test_it_declares_every_service_of_the_deployment():
    assert {"postgres", "redis", "web", "worker-gpu", "worker-default", "beat"} <= set(SERVICES)


def test_it_runs_the_gpu_worker_on_the_gpu_queue_solo_with_one_process_and_an_nvidia_device():
    command = _command("worker-gpu")
    assert command[command.index("-Q") + 1] == "gpu"
    assert "--pool=solo" in command and command[command.index("-c") + 1] == "1"
    devices = SERVICES["worker-gpu"]["deploy"]["resources"]["reservations"]["devices"]
    assert devices[0]["driver"] == "nvidia" and "gpu" in devices[0]["capabilities"]


def test_it_serves_the_wsgi_application_that_exists():
    from radturing.wsgi import application

    web = " ".join(_command("web"))
    assert "gunicorn radturing.wsgi:application" in web and callable(application)


@pytest.mark.parametrize("service", ["worker-gpu", "worker-default", "beat"])
def test_it_points_celery_at_our_app(service):
    from radturing.celery import app

    command = _command(service)
    assert command[:3] == ["celery", "-A", "radturing"]
    if "-Q" in command:
        assert command[command.index("-Q") + 1] in {q.name for q in app.conf.task_queues}


def test_it_only_sets_environment_variables_that_settings_read():
    for service in ("web", "worker-gpu", "worker-default", "beat"):
        for name in SERVICES[service]["environment"]:
            assert re.search(rf'["\']{name}["\']', SETTINGS_SOURCE), f"{service}: settings never read {name}"


def test_it_keeps_media_on_a_shared_volume_and_builds_from_our_dockerfile():
    assert (ROOT / "Dockerfile").exists()
    for service in ("web", "worker-gpu", "worker-default"):
        assert any(v.startswith("media:") for v in SERVICES[service]["volumes"])
    assert "media" in COMPOSE["volumes"]


def test_it_schedules_the_reaper_that_beat_runs():
    from django.conf import settings

    import core.tasks  # noqa: F401  (what the worker's autodiscovery imports)
    from radturing.celery import app

    task = settings.CELERY_BEAT_SCHEDULE["reap-orphaned-jobs"]["task"]
    assert task in app.tasks

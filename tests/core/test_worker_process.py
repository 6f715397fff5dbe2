"""The project's own worker command, as separate processes, against real brokers:
a job round-trips through a real redis-server, and a job whose worker is killed mid-run is
recovered by the reaper instead of staying "running" forever (the filesystem broker drops the
message of a killed worker, so only the Job table can bring it back)."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

CREATE_JOB = """
from accounts.models import User
from core.jobs import create_job
from core.tasks import {task}
owner, _ = User.objects.get_or_create(username="worker-test")
job = create_job(task={task}, owner=owner, params={params!r})
print(job.pk)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Project:
    """A throw-away deployment of this checkout: own SQLite file, own var/ folder."""

    def __init__(self, var_dir: Path, broker_url: str) -> None:
        self.var_dir = var_dir
        self.env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
        self.env.update(VAR_DIR=str(var_dir), DEBUG="false", SECRET_KEY="process-test-key-" + "x" * 40,
                        CELERY_BROKER_URL=broker_url, JOB_HEARTBEAT_SECONDS="1", PYTHONUNBUFFERED="1")
        self.workers: list[subprocess.Popen] = []

    def manage(self, *args: str) -> str:
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def create_job(self, task: str, **params) -> int:
        return int(self.manage("shell", "-c", CREATE_JOB.format(task=task, params=params)).strip().splitlines()[-1])

    def start_worker(self, hostname: str) -> subprocess.Popen:
        log = open(self.var_dir / f"{hostname}-{len(self.workers)}.log", "w")
        worker = subprocess.Popen([sys.executable, "manage.py", "worker", "--no-beat", f"--hostname={hostname}",
                                   "--loglevel=WARNING"], cwd=ROOT, env=self.env, stdout=log, stderr=log,
                                  start_new_session=True)
        self.workers.append(worker)
        return worker

    def job(self, pk: int) -> dict:
        with sqlite3.connect(self.var_dir / "radturing.sqlite3", timeout=30) as db:
            db.row_factory = sqlite3.Row
            return dict(db.execute("select * from core_job where id = ?", (pk,)).fetchone())

    def wait_for(self, pk: int, predicate, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            row = self.job(pk)
            if predicate(row):
                return row
            time.sleep(0.2)
        logs = "\n".join(p.read_text()[-2000:] for p in self.var_dir.glob("*.log"))
        raise AssertionError(f"job {pk} stuck as {self.job(pk)['status']}; worker logs:\n{logs}")

    def stop(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                try:
                    worker.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)


@pytest.fixture
def redis_url(tmp_path):
    """A private redis-server on a free loopback port, stopped after the test."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: `make test` installs it (apt-get install redis-server)"
    port = _free_port()
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                               "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def make_project(tmp_path):
    projects = []

    def make(broker_url: str) -> Project:
        project = Project(tmp_path / f"var{len(projects)}", broker_url)
        project.var_dir.mkdir()
        project.manage("migrate", "-v0")
        projects.append(project)
        return project

    yield make
    for project in projects:
        project.stop()


def test_it_round_trips_a_job_through_a_real_redis_server(make_project, redis_url):
    project = make_project(redis_url)
    pk = project.create_job("self_check_gpu", steps=2, sleep=0.01, echo="via redis")
    project.start_worker("gpu-worker@test")
    row = project.wait_for(pk, lambda r: r["status"] == "succeeded")
    assert json.loads(row["result_data"])["echo"] == "via redis"


def test_it_recovers_a_job_whose_worker_was_killed(make_project):
    project = make_project("filesystem://")
    pk = project.create_job("self_check_default", steps=60, sleep=0.1)
    first = project.start_worker("worker@test")
    project.wait_for(pk, lambda r: r["status"] == "running" and r["progress"] > 0)
    os.killpg(first.pid, signal.SIGKILL)  # no chance to ack, clean up or mark the job
    first.wait(timeout=10)
    assert project.job(pk)["status"] == "running"  # what a dead worker leaves behind

    project.start_worker("worker@test")  # same name: its start-up reaper knows the job is orphaned
    row = project.wait_for(pk, lambda r: r["status"] == "succeeded", timeout=90)
    assert row["attempts"] == 2
    assert row["progress"] == 100

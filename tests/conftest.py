"""Shared fixtures. Three standing users as in our anchors: alice (owner), bob (member), charlie
(outsider); plus one user per role. Tests talk to the real database and the real broker."""
from __future__ import annotations

import pytest

from accounts.roles import Role
from tests.accounts.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", role=Role.RESEARCHER)


@pytest.fixture
def bob(db):
    return UserFactory(username="bob", role=Role.READER)


@pytest.fixture
def charlie(db):
    return UserFactory(username="charlie", role=Role.RESEARCHER)


@pytest.fixture
def users_by_role(db):
    return {role: UserFactory(username=f"demo-{role.value}", role=role) for role in Role}


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker in a thread (solo pool) on every job queue, using the configured broker:
    the filesystem transport by default, Redis when CELERY_BROKER_URL says so."""
    from celery.contrib.testing.worker import start_worker
    from django.conf import settings

    from radturing.celery import app

    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False,
                      queues=list(settings.JOB_QUEUES), shutdown_timeout=15, loglevel="WARNING") as worker:
        yield worker


@pytest.fixture(scope="session", autouse=True)
def _private_broker_folder(tmp_path_factory):
    """Each test session (and xdist worker) gets its own filesystem-broker folder, so concurrent
    sessions on one machine never deliver each other's messages. Set before any connection opens."""
    from radturing.celery import app

    if app.conf.broker_url.startswith("filesystem://"):
        folder = tmp_path_factory.mktemp("broker")
        (folder / "processed").mkdir()
        (folder / "control").mkdir()
        app.conf.broker_transport_options = {
            "data_folder_in": str(folder), "data_folder_out": str(folder),
            "processed_folder": str(folder / "processed"), "control_folder": str(folder / "control"),
            "store_processed": False,
        }


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path_factory):
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A test database per process (test_<name>_<pid>): concurrent sessions against one
    PostgreSQL server must not drop each other's database."""
    import os

    from pytest_django.fixtures import _set_suffix_to_test_databases

    _set_suffix_to_test_databases(suffix=str(os.getpid()))

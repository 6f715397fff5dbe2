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
    """A real Celery worker in a thread (solo pool) on both queues, using the configured broker:
    the filesystem transport by default, Redis when CELERY_BROKER_URL says so."""
    from celery.contrib.testing.worker import start_worker

    from radturing.celery import app

    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False,
                      queues=["default", "gpu"], shutdown_timeout=15, loglevel="WARNING") as worker:
        yield worker


@pytest.fixture(scope="session", autouse=True)
def _empty_test_broker():
    """Messages left by an earlier test session must not be delivered to this one's worker."""
    import shutil

    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        for sub in ("queue", "processed"):
            shutil.rmtree(settings.BROKER_DIR / sub, ignore_errors=True)
            (settings.BROKER_DIR / sub).mkdir(parents=True)

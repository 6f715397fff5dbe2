import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from radturing.env import env_bool, env_int, env_secret

ROOT = Path(__file__).resolve().parents[1]


def _manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS",
                                                               "SECURE_SSL_REDIRECT", "STATICFILES_MANIFEST",
                                                               # set for Playwright in the browser tests only
                                                               "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**base, **env})


@pytest.mark.parametrize("value", ["1", "yes", "", "True "])
def test_it_rejects_booleans_other_than_true_or_false(monkeypatch, value):
    monkeypatch.setenv("SOME_FLAG", value)
    if value.strip().lower() == "true":
        assert env_bool("SOME_FLAG", False) is True
    else:
        with pytest.raises(ImproperlyConfigured):
            env_bool("SOME_FLAG", False)


def test_it_rejects_a_non_integer(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("SOME_NUMBER", 1)


def test_it_reads_a_secret_from_a_file(monkeypatch, tmp_path):
    (tmp_path / "key").write_text("s3cret\n")
    monkeypatch.setenv("API_KEY_FILE", str(tmp_path / "key"))
    monkeypatch.delenv("API_KEY", raising=False)
    assert env_secret("API_KEY") == "s3cret"


def test_it_refuses_to_start_without_a_secret_key_in_production():
    result = _manage("check", DEBUG="false")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_it_passes_the_deployment_checklist_with_deployment_variables_set():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="false",
                     SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="radturing.example.org")
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_explains_a_malformed_database_url():
    result = _manage("check", DEBUG="true", DATABASE_URL="nosuchdb://x")
    assert result.returncode != 0 and "DATABASE_URL" in result.stderr


def test_it_serves_the_openapi_schema_and_docs(client, alice):
    client.force_login(alice)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    document = schema.json()
    assert document["openapi"].startswith("3.") and "/api/jobs/{id}/" in str(document["paths"]) or "/api/jobs/" in document["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


@pytest.mark.django_db
def test_it_issues_api_tokens_that_authenticate(client, alice):
    from tests.accounts.factories import PASSWORD

    token = client.post("/api/token/", {"username": "alice", "password": PASSWORD}).json()["token"]
    me = client.get("/api/users/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.json()["roles"] == ["researcher"]


def test_it_collects_hashed_static_files_for_production(tmp_path):
    result = _manage("collectstatic", "--noinput", "-v0", DEBUG="false", SECRET_KEY="x" * 50,
                     STATIC_ROOT=str(tmp_path), STATICFILES_MANIFEST="true")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()

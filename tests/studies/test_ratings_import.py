"""A ratings file from outside, analysed through both doors: `manage.py analyse_ratings` and
`POST /api/studies/analyse-file/`. The Van Dyke (1993) data in both layouts reproduce the published
OR–Hillis results from the JSON file the command writes; a malformed file gets one sentence, exit
status 2 (the command) or 400 (the API), and nothing is written."""
from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.roles import Role
from studies.analysis.csv_layouts import write_radturing
from tests.accounts.factories import PASSWORD, UserFactory
from tests.studies.analysis.conftest import van_dyke_imrmc, van_dyke_rows  # noqa: F401 (fixtures)
from tests.studies.analysis.test_van_dyke import DELONG, JACKKNIFE, assert_published, van_dyke_table

MALFORMED = "BEGIN DATA:\n-1,case1,0,1\nreader1,case1,cine\n"  # a row of three fields


@pytest.fixture
def van_dyke_files(van_dyke_imrmc, van_dyke_rows, tmp_path):  # noqa: F811
    radturing = tmp_path / "van_dyke.csv"
    write_radturing(van_dyke_table(van_dyke_rows), radturing)
    return {"imrmc": van_dyke_imrmc, "radturing": radturing}


@pytest.mark.parametrize("layout", ["imrmc", "radturing"])
@pytest.mark.parametrize("covariance, expected", [("jackknife", JACKKNIFE), ("delong", DELONG)])
def test_the_command_writes_the_published_van_dyke_results(van_dyke_files, tmp_path, layout, covariance, expected):
    out = tmp_path / "report.json"
    call_command("analyse_ratings", str(van_dyke_files[layout]), "--layout", layout, "--covariance", covariance,
                 "--json", str(out), stdout=open("/dev/null", "w"))
    report = json.loads(out.read_text())
    assert report["study"]["comparison"] == "conditions" and report["counts"]["readers"] == 5
    assert_published(report, expected)


def test_a_malformed_file_exits_2_with_the_line_and_writes_nothing(tmp_path):
    bad, out = tmp_path / "bad.imrmc", tmp_path / "report.json"
    bad.write_text(MALFORMED)
    with pytest.raises(CommandError, match="Line 3") as caught:
        call_command("analyse_ratings", str(bad), "--layout", "imrmc", "--json", str(out))
    assert caught.value.returncode == 2
    assert list(tmp_path.iterdir()) == [bad]


def test_the_command_run_as_a_process_exits_2(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    bad = tmp_path / "bad.csv"
    bad.write_text("reader,image\nR1,a\n")
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "manage.py", "analyse_ratings", str(bad), "--json", str(tmp_path / "o.json")],
                            cwd=root, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "x", "DEBUG": "true",
                                 "VAR_DIR": str(tmp_path / "var")})
    assert result.returncode == 2, result.stderr
    assert "Line 1: the header lacks the columns" in result.stderr
    assert not (tmp_path / "o.json").exists()


@pytest.mark.django_db
def test_the_api_analyses_a_file_and_refuses_a_malformed_one_with_the_same_sentence(client, van_dyke_files, tmp_path):
    UserFactory(username="rita", role=Role.RESEARCHER)
    assert client.login(username="rita", password=PASSWORD)
    url = reverse("api:study-analyse-file")
    with van_dyke_files["imrmc"].open("rb") as handle:
        response = client.post(url, {"file": handle, "layout": "imrmc", "covariance": "delong"})
    assert response.status_code == 200
    assert_published(response.json(), DELONG)
    bad = tmp_path / "bad.imrmc"
    bad.write_text(MALFORMED)
    with bad.open("rb") as handle:
        refused = client.post(url, {"file": handle, "layout": "imrmc"})
    assert refused.status_code == 400
    with pytest.raises(CommandError) as caught:
        call_command("analyse_ratings", str(bad), "--layout", "imrmc", "--json", str(tmp_path / "o.json"))
    assert str(caught.value).endswith(refused.json()["detail"])


@pytest.mark.django_db
def test_the_api_file_door_is_for_researchers(client, tmp_path):
    UserFactory(username="rad", role=Role.READER)
    assert client.login(username="rad", password=PASSWORD)
    assert client.post(reverse("api:study-analyse-file"), {}).status_code == 403

"""A study's report: the ratings table from the database, the analysis job (on demand and when the
study closes), the report page, its PDF and exports — for the owner and administrators only."""
from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
from django.urls import reverse

from accounts.roles import Role
from core.models import Job
from studies.analysis.csv_layouts import read_table
from studies.analysis_table import ratings_table
from studies.lifecycle import save_design, transition
from studies.models import StudyAnalysis, StudyStatus
from studies.pool import add_collection
from studies.report import AnalysisRefused, run_analysis
from tests.accounts.factories import PASSWORD, UserFactory
from tests.core.waiting import wait_for
from tests.studies.conftest import make_collection, open_study, rate_all

pytestmark = pytest.mark.django_db

READERS = ["rad1", "rad2", "rad3"]


@pytest.fixture
def rated_study(draft_study, researcher):
    """The draft study with two catch images, repeats and tells, opened and rated by three readers."""
    add_collection(draft_study, make_collection(researcher, "Catch", "real", 2, seed=300), kind="real",
                   label="Catch slices", role="catch")
    study = save_design(draft_study, catch_trials=2, repeat_share=0.2, repeat_gap=3, ask_tells=True)
    study = open_study(study)
    rate_all(study, READERS, tells=True, seed=1)
    return study


def _log_in(client, username):
    assert client.login(username=username, password=PASSWORD)


def test_the_table_has_every_rating_with_its_columns_in_a_few_queries(rated_study, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        table = ratings_table(rated_study)
    trials = sum(r.trials.count() for r in rated_study.readers.all())
    assert len(table) == trials
    assert sorted(set(table.reader.tolist())) == ["R1", "R2", "R3"]
    assert set(table.reader_training_level.tolist()) == {"resident", "attending"}
    assert not table.reader_simulated.any()
    assert set(table.source.tolist()) == {"Real slices", "StyleGAN slices", "Catch slices"}
    catch = table.trial_kind == "catch"
    assert catch.any() and set(table.catch_expected[catch].tolist()) == {"real"}
    assert (table.catch_expected[~catch] == "").all()
    repeat = table.trial_kind == "repeat"
    assert repeat.any() and (table.repeat_of_position[repeat] >= 0).all() and (table.repeat_of_position[~repeat] == -1).all()
    first_showing = {(r, p): i for r, p, i in zip(table.reader, table.position, table.image)}
    assert all(first_showing[(r, p)] == i for r, p, i in zip(table.reader[repeat], table.repeat_of_position[repeat],
                                                             table.image[repeat]))
    assert (table.image_truth[table.source == "StyleGAN slices"] == 1).all()
    told = np.isfinite(table.tell_x)
    assert told.any() and all(t == "blurred vessel edges" for t, k in zip(table.tell_text, told) if k)
    assert np.isfinite(table.client_ms).all()
    assert (table.equivalence_margin, table.primary_endpoint, table.title) == (0.05, "auc_equivalence", "Chest CT realism")


def test_the_analysis_stores_the_report_plots_and_the_machines_auc(rated_study):
    analysis = run_analysis(rated_study)
    assert not analysis.final and analysis == StudyAnalysis.objects.get()
    r = analysis.result
    assert r["counts"]["readers"] == 3 and r["counts"]["images"] == {
        "real": 10, "synthetic": 10, "by_source": {"Real slices": {"real": 10, "synthetic": 0},
                                                   "StyleGAN slices": {"real": 0, "synthetic": 10}}}
    assert r["counts"]["catch_reads"] == 6 and r["counts"]["repeat_reads"] > 0
    assert [s["source"] for s in r["mrmc"]["sources"]] == ["StyleGAN slices"]
    assert set(analysis.plots) == {"roc", "learning", "reading_times", "tells"}
    assert all(analysis.plot_path(name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for name in analysis.plots)
    machine = analysis.automated["overall"]
    assert 0 <= machine["low"] <= machine["auc"] <= machine["high"] <= 1
    assert (machine["n_real"], machine["n_synthetic"]) == (10, 10)


def test_a_study_without_ratings_is_refused_with_a_sentence(draft_study):
    with pytest.raises(AnalysisRefused, match="nothing to analyse"):
        run_analysis(draft_study)


def test_the_owner_sees_every_section_and_a_simulated_banner(client, rated_study, researcher):
    rated_study.readers.update(simulated=True)
    run_analysis(rated_study)
    _log_in(client, "rita")
    page = client.get(reverse("studies:report", args=[rated_study.public_id]))
    assert page.status_code == 200
    html = page.content.decode()
    for key in ("counts", "primary", "calls", "groups", "roc", "mrmc", "agreement", "gallery", "learning",
                "automated"):
        assert f'data-section="{key}"' in html, key
    assert "3 reader(s) are simulated" in html and 'data-report-state="live"' in html
    assert "Indistinguishable? Only a TOST" in html
    assert "Re-run the analysis" in html
    assert reverse("studies:report", args=[rated_study.public_id]) in client.get(
        reverse("studies:design", args=[rated_study.public_id])).content.decode()
    assert client.get(reverse("studies:report-plot", args=[rated_study.public_id, "roc"]))["Content-Type"] == "image/png"


@pytest.mark.parametrize("name", ["studies:report", "studies:report-pdf", "studies:report-plot",
                                  "studies:export-ratings", "studies:export-imrmc", "studies:export-summary"])
def test_a_reader_of_the_study_and_another_researcher_get_404(client, rated_study, name):
    run_analysis(rated_study)
    args = [rated_study.public_id, "roc"] if name == "studies:report-plot" else [rated_study.public_id]
    UserFactory(username="other", role=Role.RESEARCHER)
    for username in ("rad1", "other"):
        _log_in(client, username)
        assert client.get(reverse(name, args=args)).status_code == 404, username
    _log_in(client, "other")
    assert client.post(reverse("studies:report-run", args=[rated_study.public_id])).status_code == 404
    assert not Job.objects.exists()


def test_an_administrator_reaches_the_report(client, rated_study):
    run_analysis(rated_study)
    UserFactory(username="root", role=Role.ADMIN)
    _log_in(client, "root")
    assert client.get(reverse("studies:report", args=[rated_study.public_id])).status_code == 200


def test_the_pdf_has_the_sections_and_the_plots(client, rated_study):
    from pypdf import PdfReader

    run_analysis(rated_study)
    _log_in(client, "rita")
    response = client.get(reverse("studies:report-pdf", args=[rated_study.public_id]))
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert 3 <= len(pdf.pages) <= 12
    for heading in ("Counts", "Primary endpoint and verdict", "ROC", "MRMC", "Agreement and attention",
                    "Best fakes and clearest tells", "Learning curve and reading times", "The machine beside the humans"):
        assert heading in text, heading
    assert "Chest CT realism" in text and "StyleGAN slices" in text
    assert sum(len(page.images) for page in pdf.pages) >= 4 + 1  # four plots and the thumbnails


def test_the_exports_read_back_as_the_same_ratings(client, rated_study, tmp_path):
    analysis = run_analysis(rated_study)
    _log_in(client, "rita")
    ratings = client.get(reverse("studies:export-ratings", args=[rated_study.public_id]))
    assert ratings["Content-Type"].startswith("text/csv") and "attachment" in ratings["Content-Disposition"]
    (tmp_path / "r.csv").write_bytes(ratings.content)
    assert read_table(tmp_path / "r.csv", "radturing") == ratings_table(rated_study)
    rows = list(csv.DictReader(io.StringIO(ratings.content.decode())))
    assert len(rows) == len(ratings_table(rated_study)) and rows[0]["study_title"] == "Chest CT realism"
    imrmc = client.get(reverse("studies:export-imrmc", args=[rated_study.public_id]))
    (tmp_path / "r.imrmc").write_bytes(imrmc.content)
    table = read_table(tmp_path / "r.imrmc", "imrmc")
    assert table.comparison == "generators" and len(table) == ratings_table(rated_study).trial_kind.tolist().count("main")
    summary = client.get(reverse("studies:export-summary", args=[rated_study.public_id]))
    assert json.loads(summary.content) == analysis.result


@pytest.mark.django_db(transaction=True)
def test_the_re_run_button_and_closing_the_study_run_the_job_on_a_real_worker(celery_worker, client, rated_study):
    _log_in(client, "rita")
    response = client.post(reverse("studies:report-run", args=[rated_study.public_id]))
    assert response.status_code == 302
    job = wait_for(Job.objects.get(kind="studies.analyse_study"))
    assert job.status == "succeeded", job.error
    assert job.queue == "default"
    live = StudyAnalysis.objects.get()
    assert live.job == job and not live.final

    transition(rated_study, StudyStatus.CLOSED)
    closing = Job.objects.filter(kind="studies.analyse_study").exclude(pk=job.pk).get()
    assert wait_for(closing).status == "succeeded"
    final = rated_study.analyses.first()
    assert final.final and final.job == closing
    page = client.get(reverse("studies:report", args=[rated_study.public_id])).content.decode()
    assert 'data-report-state="final"' in page and "Final report" in page


def test_closing_a_study_nobody_rated_starts_no_analysis(draft_study):
    transition(draft_study, StudyStatus.CLOSED)
    assert not Job.objects.exists()


def test_the_api_gives_the_owner_the_report_the_files_and_a_job(client, rated_study):
    _log_in(client, "rita")
    analysis_url = reverse("api:study-analysis", args=[rated_study.public_id])
    assert client.get(analysis_url).status_code == 404
    started = client.post(analysis_url)
    assert started.status_code == 202
    assert Job.objects.get(public_id=started.json()["job"]).kind == "studies.analyse_study"
    assert client.post(analysis_url).json()["job"] == started.json()["job"]  # one running job, not two
    analysis = run_analysis(rated_study)
    body = client.get(analysis_url).json()
    assert body["result"] == json.loads(json.dumps(analysis.result)) and body["final"] is False
    assert body["automated_turing_test"]["overall"]["n_real"] == 10
    page_csv = client.get(reverse("studies:export-ratings", args=[rated_study.public_id])).content
    assert client.get(reverse("api:study-ratings-csv", args=[rated_study.public_id])).content == page_csv
    imrmc = client.get(reverse("api:study-ratings-imrmc", args=[rated_study.public_id]))
    assert imrmc.status_code == 200 and b"BEGIN DATA:" in imrmc.content


def test_the_api_answers_a_reader_and_another_researcher_404(client, rated_study):
    run_analysis(rated_study)
    UserFactory(username="other", role=Role.RESEARCHER)
    for username in ("rad1", "other"):
        _log_in(client, username)
        for name in ("api:study-analysis", "api:study-ratings-csv", "api:study-ratings-imrmc"):
            assert client.get(reverse(name, args=[rated_study.public_id])).status_code == 404, (username, name)
        assert client.post(reverse("api:study-analysis", args=[rated_study.public_id])).status_code == 404

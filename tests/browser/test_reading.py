"""A reader takes a 10-image study with the keyboard only, with the network cut for two ratings:
every rating reaches the database exactly once. Plus the researcher's design and pool pages."""
from pathlib import Path

import pytest

from studies.lifecycle import join, save_design
from studies.models import Rating, Study
from studies.pool import add_collection
from tests.accounts.factories import PASSWORD, UserFactory
from tests.studies.conftest import make_collection, open_study

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


@pytest.fixture(autouse=True)
def _imaging_folders(settings):
    settings.IMAGING_QUARANTINE_ROOT = ""
    settings.IMAGING_ORIGINALS_ROOT = ""


def _log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.fixture
def ten_image_study(db):
    from accounts.roles import Role

    researcher = UserFactory(username="rita", role=Role.RESEARCHER)
    study = Study.objects.create(owner=researcher, title="Chest CT realism", consent_text="I agree to take part.",
                                 reader_slots=2, seed=2026)
    add_collection(study, make_collection(researcher, "Real slices", "real", 5), kind="real")
    add_collection(study, make_collection(researcher, "StyleGAN slices", "synthetic", 5, seed=100),
                   kind="external", generator_name="StyleGAN2-ADA", generator_version="2.1")
    return open_study(save_design(study, confidence_levels=6))


def test_a_reader_rates_ten_images_by_keyboard_through_a_network_cut(live_server, page, ten_image_study):
    reader_user = UserFactory(username="rad", roles=[])
    join(ten_image_study, reader_user)
    _log_in(page, live_server, "rad")
    page.goto(f"{live_server.url}/studies/reading/{ten_image_study.public_id}/")
    page.select_option("#id_training_level", "resident")
    page.fill("#id_years_experience", "3")
    page.check("#id_agree")
    page.get_by_role("button", name="Agree and start").click()

    counter = page.locator("[data-counter]")
    for i in range(10):
        page.wait_for_function(f"document.querySelector('[data-counter]').textContent.startsWith('{i + 1} of 10')")
        if i == 0:
            page.wait_for_selector("#reading[data-painted='0']")
            page.screenshot(path=str(DOCS_IMG / "reading-page.png"))
        if i == 4:
            page.context.set_offline(True)
        if i == 6:
            page.wait_for_function("document.querySelector('[data-network]').dataset.state === 'offline'")
            page.context.set_offline(False)
        page.keyboard.press(str(1 + i % 6))
        page.keyboard.press("Enter")
    page.wait_for_selector("[data-done]:not([hidden])", timeout=30000)
    assert counter.inner_text() == "10 of 10"
    ratings = Rating.objects.filter(trial__reader__user=reader_user).order_by("trial__position")
    assert ratings.count() == 10
    assert [r.confidence for r in ratings] == [1 + i % 6 for i in range(10)]
    assert all(r.client_ms is not None and r.display.get("devicePixelRatio") == 1 for r in ratings), [(r.client_ms, r.display) for r in ratings]


def test_the_design_and_pool_pages_show_the_study(live_server, page, ten_image_study):
    _log_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/studies/{ten_image_study.public_id}/?expected_accuracy=0.6&readers=1&rho_reader=0"
              "&rho_image=0&margin=0.05&reader_auc_correlation=0.3#power")
    assert "194 independent reads" in page.locator("[data-power-accuracy]").inner_text()
    assert "95% CI" in page.locator("[data-audit-result]").inner_text()
    page.screenshot(path=str(DOCS_IMG / "study-design.png"), full_page=True)
    page.goto(f"{live_server.url}/studies/{ten_image_study.public_id}/pool/")
    assert page.locator(".pool-summary").is_visible()
    page.screenshot(path=str(DOCS_IMG / "study-pool.png"), full_page=True)


def test_a_two_afc_reader_picks_sides_with_the_arrow_keys(live_server, page, ten_image_study):
    from studies.models import Design, StudyStatus

    study = ten_image_study
    Study.objects.filter(pk=study.pk).update(status=StudyStatus.DRAFT, opened_at=None)
    study = open_study(save_design(Study.objects.get(pk=study.pk), design=Design.TWO_AFC))
    reader = join(study, UserFactory(username="rad2"))
    reader.consented_at = reader.joined_at
    reader.save(update_fields=["consented_at"])
    _log_in(page, live_server, "rad2")
    page.goto(f"{live_server.url}/studies/reading/{study.public_id}/")
    for i in range(5):
        page.wait_for_function(f"document.querySelector('#reading').dataset.painted === '{i}'")
        assert page.locator(".reading-trial:not([hidden]) .reading-stage").count() == 2
        if i == 0:
            page.screenshot(path=str(DOCS_IMG / "reading-2afc.png"))
        page.keyboard.press("ArrowLeft" if i % 2 == 0 else "ArrowRight")
        page.keyboard.press("Enter")
    page.wait_for_selector("[data-done]:not([hidden])", timeout=30000)
    answers = list(Rating.objects.filter(trial__reader=reader).order_by("trial__position").values_list("answer", "confidence"))
    assert answers == [("left", 3), ("right", 4), ("left", 3), ("right", 4), ("left", 3)]

"""Each demo account logs in through the real login page and lands on its role's home page."""
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.management.commands.seed_demo import DEMO_PASSWORD_SUFFIX
from accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {
    Role.TRAINEE: "My practice", Role.EDUCATOR: "Authoring", Role.RESEARCHER: "Reader studies",
    Role.READER: "My readings", Role.ADMIN: "Platform overview",
}


@pytest.mark.parametrize("role", list(Role))
def test_it_lands_each_demo_user_on_their_role_home(live_server, page, role, tmp_path):
    call_command("seed_demo", "--force", stdout=open(tmp_path / "seed.log", "w"))
    page.goto(live_server.url + "/")
    assert page.url.endswith("/accounts/login/")
    page.get_by_label("Username").fill(role.value)
    page.get_by_label("Password").fill(role.value + DEMO_PASSWORD_SUFFIX)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_selector(f'[data-home="{role.value}"]')
    assert page.locator("h1").inner_text() == HEADINGS[role]
    assert page.locator(".role-badge").inner_text() == role.label
    page.screenshot(path=str(tmp_path / f"home-{role.value}.png"))


def test_a_resident_with_two_roles_chooses_a_home_and_keeps_both_in_the_bar(live_server, page, tmp_path):
    call_command("seed_demo", "--force", stdout=open(tmp_path / "seed.log", "w"))
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("resident")
    page.get_by_label("Password").fill("resident" + DEMO_PASSWORD_SUFFIX)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_selector('[data-home="choice"]')
    assert page.locator(".role-badge").all_inner_texts() == [Role.TRAINEE.label, Role.READER.label]
    page.screenshot(path=str(tmp_path / "home-choice.png"))
    page.locator('[data-role="reader"]').click()
    page.wait_for_selector('[data-home="reader"]')
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link").all_inner_texts() == ["My practice", "My readings"]
    nav.get_by_role("link", name="My practice").click()
    page.wait_for_selector('[data-home="trainee"]')


def test_it_shows_a_clear_error_for_a_wrong_password(live_server, page):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    assert "didn't match" in page.get_by_role("alert").inner_text()


def test_it_updates_a_job_progress_bar_until_the_job_finishes(live_server, page, celery_worker, tmp_path):
    from core.jobs import create_job
    from core.tasks import self_check_default
    from tests.accounts.factories import PASSWORD, UserFactory

    user = UserFactory(username="ada", role=Role.ADMIN)
    job = create_job(task=self_check_default, owner=user, params={"steps": 10, "sleep": 0.3})
    page.goto(live_server.url + "/accounts/login/?next=/jobs/" + str(job.public_id) + "/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_selector('.job-progress[data-status="succeeded"]', timeout=30_000)
    assert page.locator("progress").get_attribute("value") == "100"
    assert page.locator('[data-field="status"]').inner_text() == "Succeeded"

import pytest
from django.urls import reverse

from accounts.roles import ROLE_HOME, Role

pytestmark = pytest.mark.django_db


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302 and response.url == reverse("login")


@pytest.mark.parametrize("role", list(Role))
def test_it_sends_each_role_to_its_own_home_page(client, users_by_role, role):
    client.force_login(users_by_role[role])
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse(ROLE_HOME[role])
    assert response.status_code == 200
    assert f'data-home="{role.value}"'.encode() in response.content


@pytest.mark.parametrize(("role", "page"), [
    (Role.TRAINEE, "teaching:educator-home"),
    (Role.TRAINEE, "studies:researcher-home"),
    (Role.READER, "teaching:trainee-home"),
    (Role.READER, "imaging:index"),
    (Role.EDUCATOR, "accounts:admin-home"),
])
def test_it_forbids_pages_of_other_roles(client, users_by_role, role, page):
    client.force_login(users_by_role[role])
    assert client.get(reverse(page)).status_code == 403


def test_it_lets_an_admin_into_every_role_page(client, users_by_role):
    client.force_login(users_by_role[Role.ADMIN])
    for page in ROLE_HOME.values():
        assert client.get(reverse(page)).status_code == 200


def test_it_logs_in_with_a_password_and_lands_on_the_role_home(client, users_by_role):
    from tests.accounts.factories import PASSWORD

    response = client.post(reverse("login"), {"username": "demo-reader", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("studies:reader-home")


def test_it_changes_a_password_and_the_new_one_works(client, alice):
    from tests.accounts.factories import PASSWORD

    client.force_login(alice)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "a much newer passphrase 42", "new_password2": "a much newer passphrase 42",
    })
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a much newer passphrase 42")

"""An account holds a set of roles: homes, navigation, checks and invitations follow the set."""
import pytest
from django.urls import reverse

from accounts.access import holds_any, register_role_source, role_permission, roles_of
from accounts.models import RoleGrant, User
from accounts.roles import AUTHORS, EDITORS, READERS, RESEARCHERS, Role
from tests.accounts.factories import InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_educator_who_researches_chooses_between_both_homes_and_reaches_both(client):
    both = UserFactory(username="edres", roles=[Role.EDUCATOR, Role.RESEARCHER])
    client.force_login(both)
    page = client.get("/")
    assert page.status_code == 200 and b'data-home="choice"' in page.content
    for url_name in ("teaching:educator-home", "studies:researcher-home"):
        assert f'href="{reverse(url_name)}"'.encode() in page.content
        assert client.get(reverse(url_name)).status_code == 200
    assert client.get(reverse("teaching:trainee-home")).status_code == 403


def test_the_navigation_is_the_union_of_the_roles_links_each_once(client):
    client.force_login(UserFactory(username="edres", roles=[Role.EDUCATOR, Role.RESEARCHER]))
    nav = client.get(reverse("teaching:educator-home")).content.decode()
    nav = nav[nav.index('<nav aria-label="Main">'):nav.index("</nav>")]
    for label in ("Authoring", "Studies", "Cohorts", "Images", "Models", "Invitations", "Jobs"):
        assert nav.count(f">{label}</a>") == 1, label
    assert "My practice" not in nav and "Django admin" not in nav


def test_a_trainee_accepting_a_reader_invitation_holds_both_roles(client):
    trainee = UserFactory(username="resident", role=Role.TRAINEE)
    invitation = InvitationFactory(role=Role.READER)
    client.force_login(trainee)
    assert client.get(reverse("studies:reader-home")).status_code == 403
    response = client.post(reverse("accounts:invitation-accept", args=[invitation.token]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    trainee = User.objects.get(pk=trainee.pk)
    assert trainee.roles == {Role.TRAINEE, Role.READER}
    assert client.get(reverse("studies:reader-home")).status_code == 200
    assert client.get(reverse("teaching:trainee-home")).status_code == 200
    assert RoleGrant.objects.get(user=trainee, role=Role.READER).granted_by == invitation.created_by


def test_a_role_another_app_grants_in_context_counts_in_every_check(rf):
    """The studies app makes anyone with a study invitation a reader, without a RoleGrant row."""
    trainee = UserFactory(username="invited-trainee", role=Role.TRAINEE)
    assert not holds_any(trainee, READERS)

    def reads_a_study(user):
        return {Role.READER} if user.username == "invited-trainee" else set()

    from accounts import access
    register_role_source(reads_a_study)
    try:
        assert roles_of(trainee) == {Role.TRAINEE, Role.READER}
        assert holds_any(trainee, READERS) and not holds_any(trainee, AUTHORS)
        request = rf.get("/")
        request.user = trainee
        assert role_permission(READERS)().has_permission(request, None)
        assert not role_permission(RESEARCHERS)().has_permission(request, None)
    finally:
        access._role_sources.remove(reads_a_study)


def test_one_permission_class_per_role_set_for_every_door():
    assert role_permission(EDITORS) is role_permission({Role.RESEARCHER, Role.EDUCATOR})


def test_granting_twice_keeps_one_row_and_revoking_removes_the_home(client):
    user = UserFactory(username="twice", role=Role.EDUCATOR)
    user.grant_role(Role.EDUCATOR)
    assert RoleGrant.objects.filter(user=user).count() == 1
    user.grant_role(Role.RESEARCHER)
    user.revoke_role(Role.EDUCATOR)
    client.force_login(user)
    assert client.get("/").url == reverse("studies:researcher-home")
    assert client.get(reverse("teaching:educator-home")).status_code == 403


def test_an_account_with_no_role_is_told_what_to_do(client):
    user = UserFactory(username="nobody-yet")
    user.revoke_role(Role.TRAINEE)
    client.force_login(user)
    page = client.get("/")
    assert page.status_code == 200 and b"holds no role yet" in page.content


def test_the_api_lists_every_role_held(client):
    client.force_login(UserFactory(username="resident2", roles=[Role.TRAINEE, Role.READER]))
    assert client.get("/api/users/me/").json()["roles"] == ["trainee", "reader"]


def test_the_profile_lists_the_roles_the_top_bar_shows_including_ones_held_in_context(client):
    from accounts import access

    user = UserFactory(username="profiled", role=Role.TRAINEE)

    def reads_a_study(u):
        return {Role.READER} if u.pk == user.pk else set()

    register_role_source(reads_a_study)
    try:
        client.force_login(user)
        page = client.get(reverse("accounts:profile")).content.decode()
        assert "Roles: Trainee, Reader (radiologist)</p>" in page
        assert page.count('class="role-badge"') == 2
    finally:
        access._role_sources.remove(reads_a_study)

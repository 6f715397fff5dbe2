from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, User
from accounts.roles import Role
from tests.accounts.factories import CohortFactory, InvitationFactory

pytestmark = pytest.mark.django_db


def test_it_emails_an_invitation_link_when_an_address_is_given(client, alice):
    client.force_login(alice)
    client.post(reverse("accounts:invitations"), {"role": Role.READER, "email": "rad@example.org"})
    invitation = Invitation.objects.get()
    assert len(mail.outbox) == 1
    assert invitation.token in mail.outbox[0].body


def test_it_signs_up_a_new_reader_from_an_invitation_link(client):
    invitation = InvitationFactory(role=Role.READER)
    response = client.post(reverse("accounts:invitation-accept", args=[invitation.token]), {
        "username": "newreader", "email": "new@example.org",
        "password1": "a long reader passphrase 7", "password2": "a long reader passphrase 7",
    }, follow=True)
    user = User.objects.get(username="newreader")
    assert user.roles == {Role.READER}
    assert response.redirect_chain[-1][0] == reverse("studies:reader-home")
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


def test_it_refuses_an_invitation_used_twice(client):
    invitation = InvitationFactory()
    invitation.accept(invitation.created_by)
    assert client.get(reverse("accounts:invitation-accept", args=[invitation.token])).status_code == 410


def test_it_refuses_an_expired_invitation(client):
    invitation = InvitationFactory(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(reverse("accounts:invitation-accept", args=[invitation.token])).status_code == 410


def test_it_does_not_let_a_researcher_invite_an_admin(client, alice):
    client.force_login(alice)
    client.post(reverse("accounts:invitations"), {"role": Role.ADMIN, "email": ""})
    assert not Invitation.objects.exists()


def test_it_adds_a_trainee_to_the_cohort_the_invitation_is_for(client):
    cohort = CohortFactory()
    invitation = InvitationFactory(role=Role.TRAINEE, created_by=cohort.educator, target=cohort)
    client.post(reverse("accounts:invitation-accept", args=[invitation.token]), {
        "username": "newtrainee", "password1": "a long trainee passphrase 9", "password2": "a long trainee passphrase 9",
    })
    assert list(cohort.trainees.values_list("username", flat=True)) == ["newtrainee"]


def test_it_lets_an_educator_create_a_cohort_of_trainees(client, users_by_role):
    educator, trainee = users_by_role[Role.EDUCATOR], users_by_role[Role.TRAINEE]
    client.force_login(educator)
    client.post(reverse("accounts:cohorts"), {"name": "Residents", "trainees": [trainee.pk]})
    cohort = educator.cohorts_taught.get()
    assert list(cohort.trainees.all()) == [trainee]
    client.force_login(trainee)
    assert b"Residents" in client.get(reverse("teaching:trainee-home")).content


def test_it_hides_another_educators_cohort(client, users_by_role):
    cohort = CohortFactory()
    client.force_login(users_by_role[Role.EDUCATOR])
    assert client.get(reverse("accounts:cohort-edit", args=[cohort.pk])).status_code == 404

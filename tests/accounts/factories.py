import factory

from accounts.models import Cohort, Invitation, User
from accounts.roles import Role

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(user, create, extracted, **kwargs):
        if create:
            user.save()

    @factory.post_generation
    def roles(user, create, extracted, **kwargs):
        """UserFactory(roles=[Role.TRAINEE, Role.READER]) grants each role."""
        for role in extracted or ():
            user.grant_role(role)

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        """UserFactory(role=Role.EDUCATOR) grants one role; with neither argument, a trainee."""
        if extracted:
            user.grant_role(extracted)
        elif not user.roles:
            user.grant_role(Role.TRAINEE)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    name = factory.Sequence(lambda n: f"Cohort {n}")
    educator = factory.SubFactory(UserFactory, role=Role.EDUCATOR)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    role = Role.READER
    created_by = factory.SubFactory(UserFactory, role=Role.RESEARCHER)

import factory

from core.models import Job
from tests.accounts.factories import UserFactory


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    kind = "core.self_check"
    task_name = "core.self_check"
    queue = "default"
    owner = factory.SubFactory(UserFactory)
    params = factory.LazyFunction(lambda: {"steps": 2, "sleep": 0.01})

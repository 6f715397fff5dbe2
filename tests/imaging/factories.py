import factory
import numpy as np

from imaging.models import ImageCollection
from tests.accounts.factories import UserFactory


class ImageCollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImageCollection

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Collection {n}")


def synthetic_ct(seed: int = 0, size: int = 64) -> np.ndarray:
    """A small HU image: a water disc in air with noise, as a generator might produce."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:size, :size]
    disc = (yy - size / 2) ** 2 + (xx - size / 2) ** 2 < (size / 2.5) ** 2
    return np.where(disc, 40.0, -1000.0) + rng.normal(0, 15, (size, size))

"""Who sees which image, row or page: owners, administrators, registered view grants, and a 404 for
everyone else (imaging/access.py on core.ownership)."""
from __future__ import annotations

import pytest
from django.db.models import Q
from django.urls import reverse

from accounts.backends import RoleAwareBackend
from accounts.roles import Role
from imaging.access import can_view, viewable_images
from imaging.models import Image, ImageCollection, ImageSeries, Upload
from imaging.store import create_image
from tests.accounts.factories import UserFactory
from tests.imaging.factories import ImageCollectionFactory, synthetic_ct

pytestmark = pytest.mark.django_db


def _image(owner, **kwargs) -> Image:
    return create_image(owner=owner, pixels=synthetic_ct(), is_hu=True, modality="CT", origin="synthetic", **kwargs)


@pytest.fixture
def admin(db):
    return UserFactory(username="root", role=Role.ADMIN)


def test_an_owner_sees_their_images_an_administrator_all_and_an_anonymous_visitor_none(alice, charlie, admin):
    from django.contrib.auth.models import AnonymousUser

    mine, theirs = _image(alice), _image(charlie)
    assert list(viewable_images(alice)) == [mine]
    assert set(viewable_images(admin)) == {mine, theirs}
    assert list(viewable_images(AnonymousUser())) == []
    assert can_view(alice, mine) and not can_view(alice, theirs) and can_view(admin, theirs)
    assert list(Image.objects.for_user(alice)) == [mine]  # the manager asks the same rule


def test_a_registered_grant_adds_images_and_the_answer_is_still_one_query(
        alice, bob, charlie, view_grant, django_assert_num_queries):
    series = ImageSeries.objects.create(owner=alice)
    shown = [_image(alice, series=series, position=i) for i in range(2)]
    _image(alice)  # outside the series: not granted
    view_grant(lambda user: Q(series=series) if user.pk == bob.pk else Q())
    bob = RoleAwareBackend().get_user(bob.pk)  # as a request loads its user: with its roles
    with django_assert_num_queries(1):
        seen = list(viewable_images(bob))
    assert sorted(i.pk for i in seen) == sorted(i.pk for i in shown)
    assert can_view(bob, shown[0]) and list(viewable_images(charlie)) == []


def test_a_grant_through_a_many_valued_relation_does_not_repeat_an_image(alice, bob, view_grant):
    series = ImageSeries.objects.create(owner=alice)
    images = [_image(alice, series=series, position=i) for i in range(3)]
    # "in a series holding one of alice's images": a join that matches each image three times
    view_grant(lambda user: Q(series__images__owner=alice) if user.pk == bob.pk else Q())
    assert sorted(i.pk for i in viewable_images(bob)) == sorted(i.pk for i in images)


def test_an_empty_grant_admits_nobody(alice, charlie, view_grant):
    _image(alice)
    view_grant(lambda user: Q())
    assert list(viewable_images(charlie)) == []


def test_an_outsider_gets_404_from_every_imaging_page_and_endpoint_of_someone_elses_rows(client, alice, charlie):
    collection = ImageCollectionFactory(owner=alice)
    upload = Upload.objects.create(owner=alice, collection=collection)
    image = _image(alice, collection=collection)
    client.force_login(charlie)
    for url in (reverse("imaging:collection", kwargs={"public_id": collection.public_id}),
                reverse("imaging:upload-detail", kwargs={"public_id": upload.public_id}),
                reverse("imaging:detail", kwargs={"token": image.token}),
                reverse("imaging:master", kwargs={"token": image.token}),
                f"/api/collections/{collection.public_id}/", f"/api/uploads/{upload.public_id}/",
                f"/api/images/{image.token}/"):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/collections/").json()["results"] == []
    assert client.get("/api/uploads/").json()["results"] == []


def test_an_administrator_manages_everyones_rows(client, alice, admin):
    collection = ImageCollectionFactory(owner=alice)
    upload = Upload.objects.create(owner=alice, collection=collection)
    client.force_login(admin)
    assert client.get(reverse("imaging:collection", kwargs={"public_id": collection.public_id})).status_code == 200
    assert client.get(reverse("imaging:upload-detail", kwargs={"public_id": upload.public_id})).status_code == 200
    assert client.get(f"/api/uploads/{upload.public_id}/").status_code == 200
    assert set(ImageCollection.objects.owned_by_user(admin)) == {collection}

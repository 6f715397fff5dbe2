"""Who may see an image: `viewable_images(user)` in one query, and `can_view(user, image)` built on it.

Owners see their images and administrators every image (core.ownership). Later apps add who
else may through `register_view_grant(grant)`, where `grant(user) -> Q` over Image selects the
images that grant admits to `user`: the studies app registers "reader of a study that includes
this image" in its AppConfig.ready. `Image.objects.for_user(user)` is this same rule, so
`get_owned_or_404(Image, user, token=...)` answers 404 to everyone else and no response confirms
that an image exists.
"""
from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q, QuerySet

from core.ownership import is_admin
from imaging.models import Image

ViewGrant = Callable[[object], Q]
_grants: list[ViewGrant] = []


def register_view_grant(grant: ViewGrant) -> ViewGrant:
    """Add a rule `grant(user) -> Q` over Image that lets more users see images (usable as a decorator).

    Return an empty `Q()` for a user the grant does not concern: it admits nothing (never "all")."""
    if grant not in _grants:
        _grants.append(grant)
    return grant


def viewable_images(user, images: QuerySet[Image] | None = None) -> QuerySet[Image]:
    """The images (of `images`, default all) that `user` may see: their own, every image for
    administrators, and those a registered grant admits; none for anonymous visitors. One query."""
    images = Image.objects.all() if images is None else images
    if not getattr(user, "is_authenticated", False) or is_admin(user):
        return images.owned_by_user(user)
    granted = [rule for rule in (grant(user) for grant in _grants) if rule]  # an empty Q admits nobody
    if not granted:
        return images.owned_by_user(user)
    admitted = Q()
    for rule in granted:
        admitted |= rule
    # Through a subquery: a grant that joins a many-valued relation (study -> images) must not
    # repeat an image once per matching row.
    return images.filter(Q(**{images.owner_field: user}) | Q(pk__in=Image.objects.filter(admitted).values("pk")))


def can_view(user, image: Image) -> bool:
    """True when `viewable_images(user)` holds `image`."""
    return viewable_images(user).filter(pk=image.pk).exists()

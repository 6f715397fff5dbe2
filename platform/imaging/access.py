"""Who may see an image. One function, `can_view`, extended by later apps through `register_view_grant`.

A reader-study app, for example, registers a grant "user is a reader of a study that includes this
image" at start-up (in its AppConfig.ready); every serving view and API here asks `can_view` only.
"""
from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

from imaging.models import Image

ViewGrant = Callable[[object, Image], bool]
_grants: list[ViewGrant] = []


def register_view_grant(grant: ViewGrant) -> ViewGrant:
    """Add a rule `grant(user, image) -> bool` that lets more users see an image (usable as a decorator)."""
    if grant not in _grants:
        _grants.append(grant)
    return grant


def can_view(user, image: Image) -> bool:
    """True for the owner, administrators, and anyone a registered grant admits."""
    if not getattr(user, "is_authenticated", False):
        return False
    if image.owner_id == user.pk or user.is_admin_role:
        return True
    return any(grant(user, image) for grant in _grants)


def owned_images(user) -> QuerySet[Image]:
    """The images a user manages (owner; administrators manage all)."""
    images = Image.objects.all()
    return images if user.is_admin_role else images.filter(owner=user)

"""Who may see and who may change a row: the one home of the owner-or-administrator rule.

Every owned model's manager comes from `OwnedQuerySet` (or `owner_is("field")` when the owner is
not called `owner`). Two questions, two methods:

- `owned_by_user(user)`: the rows `user` manages (edits, deletes, cancels). The owner's rows;
  administrators manage all.
- `for_user(user)`: the rows `user` may see. The same by default; a model widens it by overriding
  (shipped and shared GAN models are visible to everyone who works with models).

Views and the API fetch one row with `get_owned_or_404` (see) or `get_managed_or_404` (change),
so a row someone may not see is a 404, never a 403 that confirms it exists.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404


def is_admin(user) -> bool:
    """Administrators see and manage every row; anonymous users none."""
    return bool(getattr(user, "is_authenticated", False) and user.is_admin_role)


class OwnedQuerySet(models.QuerySet):
    owner_field = "owner"

    def owned_by_user(self, user) -> "OwnedQuerySet":
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_admin(user):
            return self
        return self.filter(**{self.owner_field: user})

    def for_user(self, user) -> "OwnedQuerySet":
        return self.owned_by_user(user)


def owner_is(field: str) -> type[OwnedQuerySet]:
    """An OwnedQuerySet whose owner lives in `field` (e.g. "educator", "created_by")."""
    return type(f"OwnedBy{field.title().replace('_', '')}QuerySet", (OwnedQuerySet,), {"owner_field": field})


def _get_or_404(queryset, **lookup):
    try:
        return queryset.get(**lookup)
    # A malformed id is "not found" too (a UUID field refuses one with ValidationError).
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404(f"No such {queryset.model._meta.verbose_name}.") from None


def get_owned_or_404(model_or_queryset, user, **lookup):
    """The row matching `lookup` that `user` may see, else 404."""
    queryset = model_or_queryset if isinstance(model_or_queryset, models.QuerySet) else model_or_queryset.objects
    return _get_or_404(queryset.for_user(user), **lookup)


def get_managed_or_404(model_or_queryset, user, **lookup):
    """The row matching `lookup` that `user` may change, else 404."""
    queryset = model_or_queryset if isinstance(model_or_queryset, models.QuerySet) else model_or_queryset.objects
    return _get_or_404(queryset.owned_by_user(user), **lookup)

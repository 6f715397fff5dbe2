"""Role checks, one rule for both doors: `@role_required(EDITORS)` on pages, `role_permission(EDITORS)`
in the API. Both ask `holds_any(user, roles)`; administrators pass every check.

Apps may add roles an account holds in a context, e.g. the studies app makes anyone with a
reader invitation a reader: `register_role_source(fn)` where `fn(user) -> set of role values`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache, wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from rest_framework import permissions

RoleSource = Callable[[object], Iterable[str]]
_role_sources: list[RoleSource] = []


def register_role_source(source: RoleSource) -> RoleSource:
    """Add `source(user) -> roles` whose roles count in every check (usable as a decorator)."""
    if source not in _role_sources:
        _role_sources.append(source)
    return source


def roles_of(user) -> frozenset[str]:
    """Every role the account holds: its own and those registered sources grant."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    held = set(user.roles)
    for source in _role_sources:
        held.update(source(user))
    return frozenset(held)


def holds_any(user, roles: Iterable[str]) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_admin_role or bool(roles_of(user) & set(roles))


def role_required(roles: Iterable[str]):
    """Page decorator: login first, then 403 unless the account holds a role of `roles`."""
    roles = frozenset(roles)

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not holds_any(request.user, roles):
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def role_permission(roles: Iterable[str]) -> type[permissions.BasePermission]:
    """DRF permission class admitting signed-in accounts that hold a role of `roles`."""
    return _permission_for(frozenset(roles))


@cache
def _permission_for(roles: frozenset[str]) -> type[permissions.BasePermission]:
    class HoldsRole(permissions.BasePermission):
        message = "Your role does not give access to this resource."

        def has_permission(self, request, view) -> bool:
            return holds_any(request.user, roles)

    HoldsRole.__name__ = "Holds" + "Or".join(sorted(r.title() for r in roles))
    return HoldsRole

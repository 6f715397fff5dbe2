"""The main navigation and the homes an account may go to, both following its set of roles.

One table says which links each role brings; an account holding several roles gets the union,
in this order, each link once. Administrators get every link plus the admin tools.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from accounts.access import roles_of
from accounts.roles import ROLE_HOME, ROLE_PURPOSE, Role


@dataclass(frozen=True)
class NavLink:
    label: str
    url_name: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_PRACTICE = NavLink("My practice", "teaching:trainee-home")
_AUTHORING = NavLink("Authoring", "teaching:educator-home")
_COHORTS = NavLink("Cohorts", "accounts:cohorts")
_STUDIES = NavLink("Studies", "studies:researcher-home")
_READINGS = NavLink("My readings", "studies:reader-home")
_IMAGES = NavLink("Images", "imaging:index")
_MODELS = NavLink("Models", "generation:index")
_INVITATIONS = NavLink("Invitations", "accounts:invitations")
_JOBS = NavLink("Jobs", "core:job-list")
_OVERVIEW = NavLink("Overview", "accounts:admin-home")
_DJANGO_ADMIN = NavLink("Django admin", "admin:index")

LINKS_BY_ROLE: dict[str, list[NavLink]] = {
    Role.TRAINEE: [_PRACTICE],
    Role.EDUCATOR: [_AUTHORING, _COHORTS, _IMAGES, _MODELS, _INVITATIONS, _JOBS],
    Role.RESEARCHER: [_STUDIES, _IMAGES, _MODELS, _INVITATIONS, _JOBS],
    Role.READER: [_READINGS],
    Role.ADMIN: [_OVERVIEW, _IMAGES, _MODELS, _JOBS, _DJANGO_ADMIN],
}

# Where links go in the bar when several roles bring them: homes first, shared tools after.
_ORDER = [_OVERVIEW, _PRACTICE, _AUTHORING, _STUDIES, _READINGS, _COHORTS, _IMAGES, _MODELS, _INVITATIONS,
          _JOBS, _DJANGO_ADMIN]


def held_roles(user) -> list[Role]:
    """The account's roles in home order; a superuser always holds admin."""
    held = set(roles_of(user)) | ({Role.ADMIN} if getattr(user, "is_superuser", False) else set())
    return [role for role in ROLE_HOME if role in held]


def nav_links(user) -> list[NavLink]:
    wanted = {link for role in held_roles(user) for link in LINKS_BY_ROLE[role]}
    return [link for link in _ORDER if link in wanted]


def homes(user) -> list[tuple[Role, str, str]]:
    """(role, URL name of its home, what it is for) for every role held, in home order."""
    return [(role, ROLE_HOME[role], ROLE_PURPOSE[role]) for role in held_roles(user)]


def navigation(request) -> dict:
    """Template context processor: `nav_links` and `held_roles` for the top bar."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    return {"nav_links": nav_links(user), "held_roles": held_roles(user)}

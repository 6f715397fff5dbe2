from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as AuthUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from accounts.roles import ROLE_HOME, Role
from core.ownership import owner_is
from core.records import NewestFirst


class UserQuerySet(models.QuerySet):
    def holding(self, role: str) -> "UserQuerySet":
        """Accounts that hold `role` (by their own grant; administrators are not added)."""
        return self.filter(role_grants__role=role).distinct()


class UserManager(AuthUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """An account. Its roles are a set (`RoleGrant` rows): one person, one login, several jobs."""

    objects = UserManager()

    @property
    def roles(self) -> frozenset[str]:
        """The roles this account holds itself. Checks go through accounts.access.holds_any, which
        also counts roles that other apps grant in context (a reader of one study)."""
        if not hasattr(self, "_roles"):
            if not self.pk:
                self._roles = frozenset()
            elif "role_grants" in getattr(self, "_prefetched_objects_cache", {}):  # RoleAwareBackend
                self._roles = frozenset(grant.role for grant in self.role_grants.all())
            else:
                self._roles = frozenset(self.role_grants.values_list("role", flat=True))
        return self._roles

    @property
    def is_admin_role(self) -> bool:
        return self.is_superuser or Role.ADMIN in self.roles

    def grant_role(self, role: str, *, by: "User | None" = None) -> None:
        RoleGrant.objects.get_or_create(user=self, role=Role(role), defaults={"granted_by": by})
        self._forget_roles()

    def revoke_role(self, role: str) -> None:
        self.role_grants.filter(role=role).delete()
        self._forget_roles()

    def _forget_roles(self) -> None:
        self.__dict__.pop("_roles", None)
        getattr(self, "_prefetched_objects_cache", {}).pop("role_grants", None)

    def role_labels(self) -> list[str]:
        """Labels of the roles granted to this account, in the order of ROLE_HOME (the admin list; pages
        show accounts.navigation.held_roles, which adds roles held in context)."""
        return [Role(role).label for role in ROLE_HOME if role in self.roles]


class RoleGrant(models.Model):
    """One role an account holds. Unique per (account, role)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=16, choices=Role.choices)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role_per_user")]

    def __str__(self) -> str:
        return f"{self.user} is {self.get_role_display()}"


class Cohort(models.Model):
    """A group of trainees an educator teaches (case sets are assigned to cohorts)."""

    name = models.CharField(max_length=200)
    educator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohorts_taught")
    trainees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="cohorts", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = owner_is("educator").as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["educator", "name"], name="unique_cohort_name_per_educator")]

    def __str__(self) -> str:
        return self.name


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _default_expiry():
    return timezone.now() + settings.INVITATION_TTL


class Invitation(NewestFirst):
    """An invitation by link (and optionally e-mail) to join with a role, e.g. a reader for a study.

    `target` points at what the invitation is for (a reader study, a cohort) so later apps attach
    their invitations without changing this model; accepting adds the user there via `on_accept`."""

    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.READER)
    email = models.EmailField(blank=True, help_text="Optional: the invitation is also e-mailed here.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations_sent")
    expires_at = models.DateTimeField(default=_default_expiry)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="invitations_accepted")
    accepted_at = models.DateTimeField(null=True, blank=True)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")

    objects = owner_is("created_by").as_manager()

    def __str__(self) -> str:
        return f"{self.get_role_display()} invitation {self.token[:6]}…"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and timezone.now() < self.expires_at

    def accept(self, user: User) -> None:
        """Mark accepted by `user`, grant them the invited role, and let the target (if any) enrol them."""
        self.accepted_by, self.accepted_at = user, timezone.now()
        self.save(update_fields=["accepted_by", "accepted_at"])
        user.grant_role(self.role, by=self.created_by)
        enrol = getattr(self.target, "on_invitation_accepted", None)
        if callable(enrol):
            enrol(user, self)
        elif isinstance(self.target, Cohort):
            self.target.trainees.add(user)

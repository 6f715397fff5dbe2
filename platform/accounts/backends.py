"""The login backend: Django's, except that a request's user arrives with its roles.

Every page checks roles, and ownership asks "is this an administrator?"; loading the RoleGrant
rows with the user (one prefetch per request) keeps each of those checks free of queries."""
from __future__ import annotations

from django.contrib.auth.backends import ModelBackend


class RoleAwareBackend(ModelBackend):
    def get_user(self, user_id):
        from accounts.models import User

        user = User.objects.prefetch_related("role_grants").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

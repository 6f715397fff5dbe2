from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import roles_of
from accounts.models import User
from accounts.roles import ROLE_HOME


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "roles"]
        read_only_fields = fields

    roles = serializers.SerializerMethodField()

    def get_roles(self, user: User) -> list[str]:
        """Every role the account holds, in home order (granted in context by other apps included)."""
        held = roles_of(user)
        return [role.value for role in ROLE_HOME if role in held]


class UserViewSet(viewsets.GenericViewSet):
    """Who am I: the API's view of the logged-in account and its roles."""

    serializer_class = UserSerializer
    queryset = User.objects.none()

    @action(detail=False, methods=["get"])
    def me(self, request):
        return Response(UserSerializer(request.user).data)

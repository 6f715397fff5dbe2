from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import Cohort, Invitation, RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    fields = ["role", "granted_by", "granted_at"]
    readonly_fields = ["granted_by", "granted_at"]
    extra = 1


@admin.register(User)
class RadTuringUserAdmin(UserAdmin):
    list_display = ["username", "email", "held_roles", "is_active", "last_login"]
    list_filter = ["role_grants__role", "is_active", "is_staff"]
    inlines = [RoleGrantInline]

    @admin.display(description="Roles")
    def held_roles(self, user: User) -> str:
        return ", ".join(user.role_labels())


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "educator", "created_at"]
    filter_horizontal = ["trainees"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["token", "role", "email", "created_by", "expires_at", "accepted_by"]
    readonly_fields = ["token"]

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import Cohort, Invitation, User


@admin.register(User)
class RadTuringUserAdmin(UserAdmin):
    list_display = ["username", "email", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff"]
    fieldsets = UserAdmin.fieldsets + (("Role", {"fields": ["role"]}),)
    add_fieldsets = UserAdmin.add_fieldsets + (("Role", {"fields": ["role"]}),)


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "educator", "created_at"]
    filter_horizontal = ["trainees"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["token", "role", "email", "created_by", "expires_at", "accepted_by"]
    readonly_fields = ["token"]

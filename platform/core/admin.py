from django.contrib import admin

from core.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "owner", "status", "progress", "attempts", "worker", "created_at", "heartbeat_at"]
    list_filter = ["status", "kind", "queue"]
    search_fields = ["public_id", "kind", "owner__username", "message"]
    readonly_fields = [f.name for f in Job._meta.fields]

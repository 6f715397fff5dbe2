from django.contrib import admin

from generation.models import Evaluation, GanModel, PatientCase


@admin.register(GanModel)
class GanModelAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "resolution", "training_source", "created_by", "shared", "created_at"]
    list_filter = ["training_source", "checkpoint_root", "shared"]
    search_fields = ["name", "checkpoint_sha256"]
    readonly_fields = ["public_id", "checkpoint_sha256", "config", "training_stats", "metrics", "training_job",
                       "created_at"]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["gan_model", "created_by", "created_at"]
    readonly_fields = [f.name for f in Evaluation._meta.fields]


@admin.register(PatientCase)
class PatientCaseAdmin(admin.ModelAdmin):
    list_display = ["id", "owner", "gan_model", "diameter_mm", "brock_risk", "created_at"]
    readonly_fields = [f.name for f in PatientCase._meta.fields]

"""Jobs over the API: owners follow and cancel their jobs; admins see everyone's."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.jobs import request_cancel, resume
from core.models import Job, JobStatus


class JobSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    is_finished = serializers.BooleanField(read_only=True)

    class Meta:
        model = Job
        fields = ["id", "kind", "status", "is_finished", "progress", "message", "error", "details",
                  "attempts", "cancel_requested", "created_at", "started_at", "finished_at", "result_data"]
        read_only_fields = fields


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = JobSerializer
    lookup_field = "public_id"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Job.objects.none()
        jobs = Job.objects.all()
        if not self.request.user.is_admin_role:
            jobs = jobs.filter(owner=self.request.user)
        kind = self.request.query_params.get("kind")
        return jobs.filter(kind=kind) if kind else jobs

    @extend_schema(request=None, responses=JobSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, public_id=None):
        job = self.get_object()
        if job.is_finished:
            return Response({"detail": f"The job is already {job.status}."}, status=status.HTTP_409_CONFLICT)
        request_cancel(job)
        return Response(JobSerializer(job).data)

    @extend_schema(request=None, responses=JobSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, public_id=None):
        job = self.get_object()
        if job.status not in (JobStatus.FAILED, JobStatus.CANCELLED):
            return Response({"detail": "Only a failed or cancelled job can be resumed."},
                            status=status.HTTP_409_CONFLICT)
        resume(job)
        return Response(JobSerializer(job).data)

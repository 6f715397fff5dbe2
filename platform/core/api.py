"""Jobs over the API: owners follow and cancel their jobs; admins see everyone's. Endpoints that
start a job share `JobCreateMixin` and answer with `JobCreatedSerializer`."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.jobs import request_cancel, resume
from core.models import Job, JobStatus
from core.ownership import get_managed_or_404


class JobSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    is_finished = serializers.BooleanField(read_only=True)

    class Meta:
        model = Job
        fields = ["id", "kind", "status", "is_finished", "progress", "message", "error", "details",
                  "attempts", "cancel_requested", "created_at", "started_at", "finished_at", "result_data"]
        read_only_fields = fields


class JobCreatedSerializer(serializers.Serializer):
    """The answer (202) of an endpoint that started a job: its id and where to follow it."""

    job = serializers.UUIDField(source="public_id", read_only=True)
    job_url = serializers.SerializerMethodField()

    def get_job_url(self, job: Job) -> str:
        return reverse("api:job-detail", args=[job.public_id])


class JobCreateMixin:
    """`create` for an endpoint that starts a job.

    The serializer validates the request into a spec, returned as `validated_data["spec"]`;
    `start_job(user, spec)` — the same function the page calls — creates the Job. Set it with
    `start_job = staticmethod(fn)`."""

    start_job: Callable[[Any, Any], Job]

    @extend_schema(responses={202: JobCreatedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = self.start_job(request.user, serializer.validated_data["spec"])
        return Response(JobCreatedSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class UserQuerysetMixin:
    """`get_queryset` from `queryset_for(user)`: the rows the requesting user may reach.

    Schema generation has no user; it gets an empty queryset of `model` instead."""

    model: type

    def queryset_for(self, user):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.queryset_for(self.request.user)


class JobViewSet(UserQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = JobSerializer
    lookup_field = "public_id"
    model = Job

    def queryset_for(self, user):
        jobs = Job.objects.for_user(user)
        kind = self.request.query_params.get("kind")
        return jobs.filter(kind=kind) if kind else jobs

    @extend_schema(request=None, responses=JobSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, public_id=None):
        job = get_managed_or_404(Job, request.user, public_id=public_id)
        if job.is_finished:
            return Response({"detail": f"The job is already {job.status}."}, status=status.HTTP_409_CONFLICT)
        request_cancel(job)
        return Response(JobSerializer(job).data)

    @extend_schema(request=None, responses=JobSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, public_id=None):
        job = get_managed_or_404(Job, request.user, public_id=public_id)
        if job.status not in (JobStatus.FAILED, JobStatus.CANCELLED):
            return Response({"detail": "Only a failed or cancelled job can be resumed."},
                            status=status.HTTP_409_CONFLICT)
        resume(job)
        return Response(JobSerializer(job).data)

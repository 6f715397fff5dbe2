"""The reading API: the next trial, and ratings stored exactly once (studies.rating)."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from studies.models import Trial
from studies.rating import RatingInput, RatingRefused, record_rating
from studies.reading import calibration_feedback, current_payload, membership_or_404


class RatingSerializer(serializers.Serializer):
    client_id = serializers.UUIDField()
    position = serializers.IntegerField(min_value=0)
    confidence = serializers.IntegerField(required=False, allow_null=True)
    timed_out = serializers.BooleanField(required=False, default=False)
    realism = serializers.IntegerField(required=False, allow_null=True)
    tell_text = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    tell_x = serializers.FloatField(required=False, allow_null=True)
    tell_y = serializers.FloatField(required=False, allow_null=True)
    client_ms = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    display = serializers.DictField(required=False, default=dict)


class NextTrialView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=dict)
    def get(self, request, public_id):
        return Response(current_payload(membership_or_404(request.user, public_id)))


class RatingView(APIView):
    """POST a rating. 201 when stored now, 200 when it was stored before (a retry). The answer is
    small on purpose: the page already holds the next trials (GET …/reading/ tops them up)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=RatingSerializer, responses=dict)
    def post(self, request, public_id):
        reader = membership_or_404(request.user, public_id)
        given = RatingSerializer(data=request.data)
        if not given.is_valid():
            first_field, errors = next(iter(given.errors.items()))
            return Response({"detail": f"{first_field}: {errors[0]}"}, status=status.HTTP_400_BAD_REQUEST)
        try:
            rating, created = record_rating(reader, RatingInput(**given.validated_data))
        except RatingRefused as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        feedback = None
        if rating.trial.kind == "calibration":
            trial = Trial.objects.select_related("first", "second").get(pk=rating.trial_id)
            feedback = calibration_feedback(trial, rating.answer)
        return Response({"client_id": str(rating.client_id), "position": given.validated_data["position"],
                         "stored": True, "feedback": feedback},
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

"""The reading API: the next trial (with the page's rating key), and ratings stored exactly once.

GET  /api/studies/<id>/reading/  signed in as usual (session or API token): the first unrated
     trial and a few after it, and `rating_key`, which the rating endpoint takes instead of a
     session (studies/rating_keys.py says why).
POST /api/studies/<id>/ratings/  with header X-Rating-Key and a JSON rating (studies/rating_input.py):
     201 stored now, 200 stored before (a retry), 400 not a rating, 401 no valid key (fetch
     reading/ again for a new one; nothing was stored), 409 refused for good (the sentence says why).
"""
from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from studies.models import Trial
from studies.rating import Membership, RatingRefused, record_rating
from studies.rating_input import BadRating, parse_rating
from studies.rating_keys import HEADER, issue_key, membership_of_key
from studies.reading import calibration_feedback, current_payload, membership_or_404


class NextTrialView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=dict)
    def get(self, request, public_id):
        reader = membership_or_404(request.user, public_id)
        return Response({**current_payload(reader), "rating_key": issue_key(reader)})


@csrf_exempt  # authenticated by a header a page of another site cannot set, never by a cookie
@require_POST
def post_rating(request, public_id):
    """A small answer on purpose: the page already holds the next trials."""
    key = membership_of_key(request.headers.get(HEADER), public_id)
    if key is None:
        return JsonResponse({"detail": "Your reading key has expired: reload the page.", "key": "expired"},
                            status=401)
    try:
        given = parse_rating(request.body)
    except BadRating as exc:
        return JsonResponse({"detail": str(exc)}, status=400)
    try:
        rating, created = record_rating(Membership(*key), given)
    except RatingRefused as exc:
        return JsonResponse({"detail": str(exc)}, status=409)
    feedback = None
    if rating.trial.kind == "calibration":
        trial = Trial.objects.select_related("first", "second").get(pk=rating.trial_id)
        feedback = calibration_feedback(trial, rating.answer)
    return JsonResponse({"client_id": str(rating.client_id), "position": given.position, "stored": True,
                         "feedback": feedback}, status=201 if created else 200)

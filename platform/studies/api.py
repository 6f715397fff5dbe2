"""The reading API: the next trial (with the page's rating key), and ratings stored exactly once.

GET  /api/studies/<id>/reading/  signed in as usual (session or API token): the first unrated
     trial and a few after it, and `rating_key`, which the rating endpoint takes instead of a
     session (studies/rating_keys.py says why).
POST /api/studies/<id>/ratings/  with header X-Rating-Key and a JSON rating (studies/rating_input.py):
     201 stored now, 200 stored before (a retry), 400 not a rating, 401 no valid key (fetch
     reading/ again for a new one; nothing was stored), 409 refused for good (the sentence says why).
GET/POST /api/studies/<id>/analysis/            the newest report / start the analysis job (owner only)
GET  /api/studies/<id>/ratings.csv, …/ratings.imrmc   the ratings in the radturing / iMRMC layout (owner only)
POST /api/studies/analyse-file/                 a ratings file in, its analysis out (researchers)
"""
from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import role_permission
from accounts.roles import RESEARCHERS
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


# ---------------------------------------------------------------- the report over the API
# The study's owner (and administrators) only: anyone else gets 404, as on the pages.

class StudyAnalysisView(APIView):
    """GET: the newest analysis (the JSON summary: docs/analysis.md) with when and whether final.
    POST: start the analysis job (202 with the job to follow), as the report page's button does."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=dict)
    def get(self, request, public_id):
        from core.ownership import get_managed_or_404
        from studies.models import Study
        from studies.report import latest_analysis

        analysis = latest_analysis(get_managed_or_404(Study, request.user, public_id=public_id))
        if analysis is None:
            return Response({"detail": "No analysis yet: POST here to run one."}, status=404)
        return Response({"created_at": analysis.created_at, "final": analysis.final,
                         "job": analysis.job.public_id if analysis.job else None,
                         "automated_turing_test": analysis.automated, "result": analysis.result})

    @extend_schema(request=None, responses={202: dict})
    def post(self, request, public_id):
        from core.api import JobCreatedSerializer
        from core.ownership import get_managed_or_404
        from studies.jobs import running_analysis, start_analysis
        from studies.models import Study

        study = get_managed_or_404(Study, request.user, public_id=public_id)
        job = running_analysis(study) or start_analysis(request.user, study)
        return Response(JobCreatedSerializer(job).data, status=202)


class StudyRatingsExportView(APIView):
    """GET the study's ratings as a file: `layout` radturing (CSV, one row per rating) or imrmc."""

    permission_classes = [permissions.IsAuthenticated]
    layout = "radturing"

    @extend_schema(responses={(200, "text/csv"): str})
    def get(self, request, public_id):
        from django.http import HttpResponse

        from core.ownership import get_managed_or_404
        from studies.exports import ExportRefused, filename, imrmc_text, ratings_csv
        from studies.models import Study

        study = get_managed_or_404(Study, request.user, public_id=public_id)
        try:
            body = imrmc_text(study) if self.layout == "imrmc" else ratings_csv(study)
        except ExportRefused as exc:
            return Response({"detail": str(exc)}, status=409)
        name = filename(study, "ratings.imrmc" if self.layout == "imrmc" else "ratings.csv")
        response = HttpResponse(body, content_type="text/plain; charset=utf-8" if self.layout == "imrmc"
                                else "text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class AnalyseFileView(APIView):
    """POST a ratings file (multipart field `file`; `layout` radturing | imrmc, `covariance`
    jackknife | delong): 200 with the analysis, 400 with the sentence for a malformed file."""

    permission_classes = [role_permission(RESEARCHERS)]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"}, "layout": {"type": "string"},
        "covariance": {"type": "string"}}}}, responses=dict)
    def post(self, request):
        import tempfile
        from pathlib import Path

        from studies.ratings_import import FileRefused, analyse_ratings_file

        upload = request.FILES.get("file")
        if upload is None:
            return Response({"detail": "Send the ratings file in the field 'file'."}, status=400)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "ratings"
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                report = analyse_ratings_file(path, request.data.get("layout", "radturing"),
                                              request.data.get("covariance", "jackknife"))
            except FileRefused as exc:
                return Response({"detail": str(exc)}, status=400)
        return Response(report)

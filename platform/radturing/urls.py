"""Top-level routes: the pages of each app, and the API under /api/ in the "api" namespace."""
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from accounts.api import UserViewSet
from accounts.urls import auth_urlpatterns
from accounts.views import home
from core.api import JobViewSet
from imaging.api import CollectionViewSet, ImageViewSet, UploadViewSet
from studies.api import (AnalyseFileView, NextTrialView, StudyAnalysisView, StudyRatingsExportView,
                         post_rating)
from generation.api import EvaluationJobViewSet, GanModelViewSet, GenerationJobViewSet, TrainingJobViewSet

router = DefaultRouter()
router.register("jobs", JobViewSet, basename="job")
router.register("users", UserViewSet, basename="user")
router.register("images", ImageViewSet, basename="image")
router.register("collections", CollectionViewSet, basename="collection")
router.register("uploads", UploadViewSet, basename="upload")
router.register("gan-models", GanModelViewSet, basename="gan-model")
router.register("training-jobs", TrainingJobViewSet, basename="training-job")
router.register("generation-jobs", GenerationJobViewSet, basename="generation-job")
router.register("evaluation-jobs", EvaluationJobViewSet, basename="evaluation-job")

# The API lives in its own namespace, so a page and an endpoint never share a name: pages are
# "<app>:<name>" (imaging:index), endpoints "api:<name>" (api:upload-list, api:job-cancel).
api_urlpatterns = [
    # First: a rating is the most frequent request, and resolving past the router's patterns
    # cost a measurable share of it (benchmarks/reading.py).
    path("studies/<uuid:public_id>/ratings/", post_rating, name="ratings"),
    path("studies/<uuid:public_id>/reading/", NextTrialView.as_view(), name="reading-next"),
    path("studies/<uuid:public_id>/analysis/", StudyAnalysisView.as_view(), name="study-analysis"),
    path("studies/<uuid:public_id>/ratings.csv", StudyRatingsExportView.as_view(), name="study-ratings-csv"),
    path("studies/<uuid:public_id>/ratings.imrmc", StudyRatingsExportView.as_view(layout="imrmc"),
         name="study-ratings-imrmc"),
    path("studies/analyse-file/", AnalyseFileView.as_view(), name="study-analyse-file"),
    path("", include(router.urls)),
    path("token/", obtain_auth_token, name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]

urlpatterns = [
    path("api/", include((api_urlpatterns, "api"))),
    path("", home, name="home"),
    path("accounts/", include(auth_urlpatterns)),
    path("accounts/", include("accounts.urls")),
    path("jobs/", include("core.urls")),
    path("imaging/", include("imaging.urls")),
    path("generation/", include("generation.urls")),
    path("teaching/", include("teaching.urls")),
    path("studies/", include("studies.urls")),
    path("admin/", admin.site.urls),
]

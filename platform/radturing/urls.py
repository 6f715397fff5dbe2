"""Top-level routes. All API ViewSets hang off one router under /api/."""
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
from studies.api import NextTrialView, RatingView
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

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include(auth_urlpatterns)),
    path("accounts/", include("accounts.urls")),
    path("jobs/", include("core.urls")),
    path("imaging/", include("imaging.urls")),
    path("generation/", include("generation.urls")),
    path("teaching/", include("teaching.urls")),
    path("studies/", include("studies.urls")),
    path("admin/", admin.site.urls),
    path("api/", include(router.urls)),
    path("api/studies/<uuid:public_id>/reading/", NextTrialView.as_view(), name="api-reading-next"),
    path("api/studies/<uuid:public_id>/ratings/", RatingView.as_view(), name="api-ratings"),
    path("api/token/", obtain_auth_token, name="api-token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]

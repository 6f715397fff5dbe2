from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("<uuid:public_id>/", views.job_detail, name="job-detail"),
]

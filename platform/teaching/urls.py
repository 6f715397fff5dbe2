from django.urls import path

from teaching import views

app_name = "teaching"
urlpatterns = [
    path("", views.trainee_home, name="trainee-home"),
    path("authoring/", views.educator_home, name="educator-home"),
]

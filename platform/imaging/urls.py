from django.urls import path

from imaging import views

app_name = "imaging"
urlpatterns = [
    path("", views.index, name="index"),
]

from django.urls import path

from studies import views

app_name = "studies"
urlpatterns = [
    path("", views.researcher_home, name="researcher-home"),
    path("reading/", views.reader_home, name="reader-home"),
]

from django.urls import path

from generation import views

app_name = "generation"
urlpatterns = [
    path("", views.index, name="index"),
    path("train/", views.train, name="train"),
    path("models/<uuid:public_id>/", views.model_detail, name="model"),
    path("models/<uuid:public_id>/generate/", views.generate, name="generate"),
    path("models/<uuid:public_id>/evaluate/", views.evaluate, name="evaluate"),
    path("jobs/<uuid:public_id>/", views.job_detail, name="job"),
    path("jobs/<uuid:public_id>/sample.png", views.training_sample, name="training-sample"),
    path("evaluations/<uuid:public_id>/<slug:name>.png", views.evaluation_plot, name="evaluation-plot"),
]

from django.urls import path

from imaging import viewer_views, views

app_name = "imaging"
urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("uploads/<uuid:public_id>/", views.upload_detail, name="upload-detail"),
    path("collections/<uuid:public_id>/", views.collection_detail, name="collection"),
    path("i/<str:token>/", viewer_views.image_detail, name="detail"),
    path("i/<str:token>/master.png", views.rendition, {"kind": "master"}, name="master"),
    path("i/<str:token>/display.png", views.rendition, {"kind": "display"}, name="display"),
    path("i/<str:token>/thumb.png", views.rendition, {"kind": "thumb"}, name="thumb"),
]

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("admin-home/", views.admin_home, name="admin-home"),
    path("invitations/", views.invitation_list, name="invitations"),
    path("invite/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("cohorts/", views.cohort_list, name="cohorts"),
    path("cohorts/<int:pk>/", views.cohort_edit, name="cohort-edit"),
]

# Django's own auth pages keep their standard names (login, logout, password_change...).
auth_urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Partner users get their first password from an administrator (ADR 13): they change it here.
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/password/changed/", views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
]

from allauth.account import views as allauth_views
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Names django-allauth reverses, pointing at the same pages (ADR 16).
    path("login/", views.LoginView.as_view(), name="account_login"),
    path("logout/", auth_views.LogoutView.as_view(), name="account_logout"),
    path("account/confirm-password/", allauth_views.reauthenticate,
         name="account_reauthenticate"),
    # Second factor: authenticator app, security keys and passkeys, recovery codes.
    path("account/security/", include("allauth.mfa.urls")),
    # Partner users get their first password from an administrator (ADR 13): they change it here.
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/password/changed/", views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    # Administrators: failed sign-ins and lockouts of their own users.
    path("account/lockouts/", views.lockouts, name="lockouts"),
    path("account/lockouts/clear/", views.lockout_clear_view, name="lockout_clear"),
]

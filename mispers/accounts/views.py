from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.utils.decorators import method_decorator


def home(request):
    # Partner users (an organisation, no force) have their own home; police pages refuse them.
    if getattr(request.user, "organisation_id", None):
        return redirect("partners:home")
    return redirect("episodes:open")


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change your own password: the old one, then the new one twice, checked by the password
    validators. Other sessions are kept signed in by Django's update_session_auth_hash."""

    template_name = "accounts/password_change.html"


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"

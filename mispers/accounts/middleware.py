"""Sign-in middleware (ADR 16).

- LoginRequiredMiddleware: every page needs a signed-in user (the API answers 401/403 itself).
- SignInGuardMiddleware: a sign-in refused because too many passwords are being hashed at once
  answers 429 quickly; failed API credentials count towards the address's lockout and a locked
  address gets 429 from the API before any credential is checked.
- AccountStateMiddleware: a user whose password was set by an administrator changes it before
  anything else opens; where MISPERS_MFA_REQUIRED is on, a user without a second factor sets one
  up before anything else opens. Pages redirect; the API answers 403 with the reason.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.signals import user_login_failed as _axes_signal  # noqa: F401  (connects axes' handler)
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.contrib.auth.signals import user_login_failed
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from .backends import SignInBusy

BUSY_MESSAGE = "Too many people are signing in at once. Wait a few seconds and try again."
LOCKED_API_MESSAGE = ("Too many failed sign-ins from this address. Try again later or ask your "
                      "administrator to clear the lockout.")
MUST_CHANGE_MESSAGE = ("You must change the password your administrator gave you before you can "
                       "continue. Sign in to Mispers in a browser and change it.")
MFA_NEEDED_MESSAGE = ("You must set up a second sign-in factor (an authenticator app or a "
                      "security key) before you can continue. Sign in to Mispers in a browser.")


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a signed-in user. The API is left to Django REST framework, which
    authenticates tokens as well as sessions and answers 401/403 instead of redirecting."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if _is_api(request):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SignInGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        presented = _is_api(request) and bool(request.META.get("HTTP_AUTHORIZATION"))
        if presented:
            AxesProxyHandler.update_request(request)
            if AxesProxyHandler.is_locked(request, {"username": None}):
                response = JsonResponse({"detail": LOCKED_API_MESSAGE, "field_errors": {}},
                                        status=429)
                response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME * 3600))
                return response
        response = self.get_response(request)
        if presented and response.status_code in (401, 403):
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                # Credentials were presented and refused: a failed sign-in from this address,
                # recorded and counted by django-axes like a wrong password on the page.
                user_login_failed.send(sender=__name__, credentials={"username": None},
                                       request=request)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, SignInBusy):
            return None
        if _is_api(request):
            response = JsonResponse({"detail": BUSY_MESSAGE, "field_errors": {}}, status=429)
        else:
            response = TemplateResponse(request, "accounts/busy.html",
                                        {"message": BUSY_MESSAGE}, status=429)
            response.render()
        response["Retry-After"] = "5"
        return response


# Pages a user may open before changing a first password / setting up a second factor.
PASSWORD_CHANGE_ALLOWED = {"password_change", "password_change_done", "logout", "account_logout"}
MFA_SETUP_ALLOWED = PASSWORD_CHANGE_ALLOWED | {
    "mfa_index", "mfa_activate_totp", "mfa_add_webauthn", "mfa_list_webauthn",
    "mfa_generate_recovery_codes", "mfa_view_recovery_codes", "mfa_download_recovery_codes",
    "mfa_reauthenticate", "account_reauthenticate",
}


def mfa_setup_needed(user) -> bool:
    if not settings.MISPERS_MFA_REQUIRED:
        return False
    from allauth.mfa.utils import is_mfa_enabled

    return not is_mfa_enabled(user)


class AccountStateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(settings.STATIC_URL):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # token users are checked by throttles.AccountStateThrottle
        name = request.resolver_match.url_name if request.resolver_match else None
        if user.must_change_password:
            if name in PASSWORD_CHANGE_ALLOWED:
                return None
            if _is_api(request):
                return JsonResponse({"detail": MUST_CHANGE_MESSAGE, "field_errors": {}},
                                    status=403)
            messages.info(request, "Change the password your administrator gave you to carry on.")
            return redirect("password_change")
        if mfa_setup_needed(user):
            if name in MFA_SETUP_ALLOWED:
                return None
            if _is_api(request):
                return JsonResponse({"detail": MFA_NEEDED_MESSAGE, "field_errors": {}},
                                    status=403)
            messages.info(request, "Set up a second way to prove it is you (an authenticator app "
                                   "or a security key) to carry on.")
            return redirect("mfa_index")
        return None

"""API checks that must run on every endpoint (ADR 16).

Django REST framework runs the throttle classes of REST_FRAMEWORK on every view after it has
authenticated the caller (sessions and tokens alike). Endpoints choose their own permission
classes, so a rule that must hold everywhere cannot live there; it lives here and refuses with
403 and the reason rather than a 429.
"""

from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied
from rest_framework.throttling import BaseThrottle

from .middleware import MFA_NEEDED_MESSAGE, MUST_CHANGE_MESSAGE, mfa_setup_needed


class AccountStateThrottle(BaseThrottle):
    """A user whose password was set by an administrator must change it first; where a second
    factor is required, a user signed in by session must have set one up."""

    def allow_request(self, request, view):
        user = request.user
        if user is None or not user.is_authenticated:
            return True
        if getattr(user, "must_change_password", False):
            raise PermissionDenied(MUST_CHANGE_MESSAGE)
        # A token is a credential of its own (issued to a user who signed in with two
        # factors); a session reaching the API must have passed the same gate as the pages.
        if isinstance(request.successful_authenticator, SessionAuthentication) \
                and mfa_setup_needed(user):
            raise PermissionDenied(MFA_NEEDED_MESSAGE)
        return True

"""Token authentication for the API (ADR 0017): `Authorization: Token mpt_…`.

A token is refused (401) when it is unknown, revoked, expired, its user is deactivated, or the
user's password has changed since it was issued; a valid token used on the other API (a partner
token on the police API, a police token on the partner API) is refused with 403. Its last use is
recorded at most once a minute."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from mispers.accounts.audit import client_address
from mispers.core import clock

from .models import ApiToken
from .selectors import find_token
from .services import token_used
from .tokens import password_unchanged

KEYWORD = "Token"
PARTNER_API = "/api/v1/partner/"
SCHEMA = "/api/schema/"
LAST_USE_EVERY = dt.timedelta(minutes=1)


def scope_needed(path: str) -> str | None:
    """The scope a token needs for `path`: the partner API's own, the police API's for the rest
    of /api/, either for the schema (both kinds of client read it)."""
    if path.startswith(PARTNER_API):
        return ApiToken.Scope.PARTNER
    if path.startswith(SCHEMA):
        return None
    return ApiToken.Scope.POLICE


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Invalid token header: send `Authorization: Token <token>`.")
        try:
            raw = parts[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        return self.authenticate_credentials(raw, request)

    def authenticate_credentials(self, raw: str, request):
        token = find_token(raw)
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        now = clock.now()
        user = token.user
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("This token has been revoked.")
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed("This token has expired.")
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        if not password_unchanged(token, user):
            raise exceptions.AuthenticationFailed(
                "Your password has changed since this token was created: create a new one.")
        needed = scope_needed(request._request.path_info)
        if needed is not None and token.scope != needed:
            raise exceptions.PermissionDenied(
                f"This token is for the {token.get_scope_display()}, not this one.")
        token_used(token=token, now=now, address=client_address(request._request),
                   every=LAST_USE_EVERY)
        return user, token

    def authenticate_header(self, request) -> str:
        return KEYWORD


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token (for client generators and schemathesis)."""

    target_class = "mispers.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": ('An API token, sent as `Authorization: Token mpt_…`. Create one on '
                            'the "API tokens" page or with `mispers token create`; a token is '
                            'scoped to the police API or to the partner API (/api/v1/partner/) '
                            'and expires.'),
        }

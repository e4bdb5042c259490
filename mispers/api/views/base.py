"""What every API view shares: authentication order, the clock, the access log, labels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.http import JsonResponse
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import GenericAPIView

from mispers.accounts.audit import log_shown
from mispers.accounts.models import AccessLog
from mispers.core import clock
from mispers.risk import policy as risk_policy

from ..authentication import ApiTokenAuthentication
from ..errors import NOT_FOUND, error_body
from ..parsers import JSONParser
from ..permissions import CanReportOrReadOnly

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "detail": serializers.CharField(),
        "field_errors": serializers.DictField(child=serializers.ListField(
            child=serializers.CharField())),
    },
)


def error_response(description: str, example: str | None = None) -> OpenApiResponse:
    examples = ([OpenApiExample(description, value=error_body(example), response_only=True)]
                if example else [])
    return OpenApiResponse(ErrorSerializer, description=description, examples=examples)


ERRORS_READ = {
    401: error_response("Not signed in (no session and no valid token)"),
    403: error_response("Signed in without a police role in a force"),
    404: error_response("No such record in your force", NOT_FOUND),
}
ERRORS_LIST = {
    400: error_response("A filter is not one the list understands"),
    401: ERRORS_READ[401],
    403: ERRORS_READ[403],
}
ERRORS_WRITE = {
    400: error_response("The request was refused: `detail` says why, `field_errors` where"),
    **ERRORS_READ,
}


class ApiView(GenericAPIView):
    """Base of the API's views."""

    # Token first, so a request with no credentials gets 401 and `WWW-Authenticate: Token`;
    # a browser session still works (with its CSRF check on writes).
    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    permission_classes = [CanReportOrReadOnly]
    # Bodies are JSON: reports and assessments nest objects a form post cannot carry. The
    # parser limits size, depth and text (mispers/api/parsers.py, ADR 0021).
    parser_classes = [JSONParser]

    def now(self) -> dt.datetime:
        """The request's one reading of the clock (house rule 5)."""
        if not hasattr(self, "_now"):
            self._now = clock.now()
        return self._now

    def policy(self):
        """The user's force policy, for the force's own grade labels (cached by the loader)."""
        try:
            return risk_policy.load_policy(self.request.user.force_id)
        except risk_policy.UnknownPolicyError:
            return risk_policy.load_policy(risk_policy.NATIONAL)

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        context.update(now=self.now(), policy=self.policy())
        return context

    def log_read(self, *, object_type: str, object_id, child_id) -> None:
        self.log_reads(object_type=object_type, rows=[(object_id, child_id)])

    def log_reads(self, *, object_type: str, rows: Iterable[tuple[object, object]]) -> None:
        """One access-log row per (object id, child id) shown in a list, in one query, with the
        client's address (mispers.accounts.audit)."""
        log_shown(self.request, rows, object_type=object_type, channel=AccessLog.Channel.API,
                  now=self.now())

    def paginated(self, queryset, serializer_class, *, object_type: str, child_of):
        """A page of `queryset`, each row logged as read, in the list envelope."""
        page = self.paginate_queryset(queryset)
        self.log_reads(object_type=object_type,
                       rows=[(row.pk, child_of(row)) for row in page])
        data = serializer_class(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)


def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any /api/ address that matches no endpoint: the API's 404, not an HTML page."""
    return JsonResponse(error_body(NOT_FOUND), status=404)

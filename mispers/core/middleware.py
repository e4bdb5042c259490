"""Middleware every page and API answer shares: limits on what a request may carry, and no caching
of answers that may hold personal data (ADR 0021).

Both are plain Django middleware with no knowledge of the apps (core imports no app); the API's
error shape (``{"detail": ..., "field_errors": {}}``) is written out here rather than imported.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpResponse, JsonResponse

API_PREFIX = "/api/"
NUL_REFUSED = "The request contains a NUL character, which is never valid here."
TOO_LARGE = "The request body is too large."
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def max_text_length() -> int:
    """The longest free-text value any form or API field accepts (MISPERS_MAX_TEXT_LENGTH)."""
    return settings.MISPERS_MAX_TEXT_LENGTH


def refuse(request, message: str, field: str | None = None, status: int = 400):
    """A refusal in the API's error shape under /api/, in plain text elsewhere."""
    if request.path_info.startswith(API_PREFIX):
        field_errors = {field: [message]} if field else {}
        return JsonResponse({"detail": message, "field_errors": field_errors}, status=status)
    return HttpResponse(message, content_type="text/plain; charset=utf-8", status=status)


def declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class RequestLimitsMiddleware:
    """Refuses with 400 what no honest client sends, before any view or database sees it.

    - a NUL character in the path or the query string, encoded or not (PostgreSQL cannot store or
      compare text containing NUL, so ``?q=%00`` was a server error there);
    - in a form post (urlencoded or multipart; files aside), a NUL character in any value, or a
      value longer than ``MISPERS_MAX_TEXT_LENGTH`` characters. Django's form fields already
      refuse NUL, but a view may read ``request.POST`` directly;
    - (413) a body other than a multipart upload larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``:
      Django would raise RequestDataTooBig when it is read, an HTML 400 even under /api/.

    JSON bodies get the same two checks in the API's parser (mispers/api/parsers.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or b"\x00" in unquote_to_bytes(query):
            return refuse(request, NUL_REFUSED)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if (limit is not None and declared_length(request) > limit
                and request.content_type != "multipart/form-data"):
            return refuse(request, TOO_LARGE, status=413)
        # Not under /api/: the API's own parsers check what they accept, and reading request.POST
        # here would hand Django REST framework a parsed form the API's JSON-only views refuse.
        if (request.method == "POST" and request.content_type in FORM_CONTENT_TYPES
                and not request.path_info.startswith(API_PREFIX)):
            refusal = self._check_form(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _check_form(self, request):
        limit = max_text_length()
        for name, values in request.POST.lists():
            for value in [name, *values]:
                if "\x00" in value:
                    return refuse(request, NUL_REFUSED, name)
                if len(value) > limit:
                    return refuse(request, f"Enter at most {limit:,} characters.", name)
        return None


class PrivateCacheMiddleware:
    """Every answer to a signed-in user, and every API answer, is ``Cache-Control: no-store,
    private``: no browser cache, shared proxy or back button keeps a copy of a child's record.

    Placed just after AuthenticationMiddleware, so it sees every answer to a signed-in user (a
    token's user too: Django REST framework sets ``request.user`` on the underlying request).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path_info.startswith(API_PREFIX) or (user is not None
                                                        and user.is_authenticated):
            response["Cache-Control"] = "no-store, private"
            if "Expires" in response:
                del response["Expires"]
        return response

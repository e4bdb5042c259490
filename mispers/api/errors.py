"""One error shape for the whole API.

Every error answers ``{"detail": <message>, "field_errors": {<field>: [<message>, ...]}}``:

- a service's refusal (a ``DomainError``)     → 400, its message and the field it names
- ``NotFound`` (or another force's record)     → 404 ``{"detail": "Not found."}``
- ``PermissionDenied`` from the domain        → 403
- an optimistic-lock conflict, or a step the  → 409
  record has already moved past (ADR 20)
- a write that lost a race in the database     → 409, never a 500 (a unique row already
  (unique row, deadlock, serialization)          written, a deadlock or serialization failure)
- a request body of the wrong shape           → 400 with a message for each field
- not signed in / not a police user           → 401 / 403, as Django REST framework decides

Nested field errors are flattened to dotted names (``new_child.date_of_birth``,
``answers.exploitation``) so a client can put each message beside the input it belongs to.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import IntegrityError, OperationalError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from mispers.core.errors import DomainError, NotFound, PermissionDenied

logger = logging.getLogger(__name__)

NOT_FOUND = "Not found."
RACE_LOST = ("Someone else changed this record at the same moment. Reload it to see their "
             "change, then try again.")
# PostgreSQL's serialization failure and deadlock: the database chose this request to lose.
_RACE_SQLSTATES = {"40001", "40P01"}
CHECK_FIELDS = "Check the fields marked as wrong and try again."


def _conflict_classes() -> tuple[type[DomainError], ...]:
    # Imported late: the API's error handler must not import the domain at settings time.
    from mispers.episodes.services import EpisodeConflict, IllegalTransition
    from mispers.returns.services import InterviewConflict

    return (EpisodeConflict, IllegalTransition, InterviewConflict)


def _lost_race(exc: Exception) -> bool:
    """A database refusal that means another request got there first."""
    if isinstance(exc, IntegrityError):
        return True
    if isinstance(exc, OperationalError):
        cause = exc.__cause__
        if getattr(cause, "sqlstate", None) in _RACE_SQLSTATES:
            return True
        return "database is locked" in str(exc)  # SQLite's busy timeout ran out
    return False


def error_body(detail: str, field_errors: Mapping[str, list[str]] | None = None) -> dict:
    return {"detail": detail, "field_errors": dict(field_errors or {})}


def flatten_errors(errors, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure as ``{"dotted.field": [messages]}``."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, Mapping):
        for key, value in errors.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key in ("non_field_errors", "detail") and not prefix:
                name = "non_field_errors"
            for field, messages in flatten_errors(value, name).items():
                flat.setdefault(field, []).extend(messages)
    elif isinstance(errors, list | tuple):
        if all(not isinstance(item, Mapping | list | tuple) for item in errors):
            flat.setdefault(prefix or "non_field_errors", []).extend(str(e) for e in errors)
        else:
            for index, item in enumerate(errors):
                flat.update(flatten_errors(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        flat.setdefault(prefix or "non_field_errors", []).append(str(errors))
    return flat


def _validation_response(exc: exceptions.ValidationError) -> Response:
    flat = flatten_errors(as_serializer_error(exc))
    general = flat.pop("non_field_errors", [])
    if general:
        detail = " ".join(general)
    elif len(flat) == 1:
        ((field, messages),) = flat.items()
        detail = f"{field}: {messages[0]}"
    else:
        detail = CHECK_FIELDS
    return Response(error_body(detail, flat), status=status.HTTP_400_BAD_REQUEST)


def _domain_response(exc: DomainError) -> Response:
    if isinstance(exc, NotFound):
        return Response(error_body(NOT_FOUND), status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        code = status.HTTP_403_FORBIDDEN
    elif isinstance(exc, _conflict_classes()):
        code = status.HTTP_409_CONFLICT
    else:
        code = status.HTTP_400_BAD_REQUEST
    fields = {exc.field: [exc.message]} if exc.field else {}
    return Response(error_body(exc.message, fields), status=code)


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER (see config/settings/base.py)."""
    if isinstance(exc, DomainError):
        set_rollback()
        return _domain_response(exc)
    if isinstance(exc, Http404 | exceptions.NotFound):
        set_rollback()
        return Response(error_body(NOT_FOUND), status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, exceptions.ValidationError):
        set_rollback()
        return _validation_response(exc)
    if _lost_race(exc):
        # Backstop: services lock the episode first (ADR 20), so this should not happen; if it
        # does, the client is told to reload rather than shown a crash, and we hear of it.
        set_rollback()
        logger.warning("Write lost a race in the database: %s", exc, exc_info=exc)
        return Response(error_body(RACE_LOST), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, Mapping):
        detail = response.data.get("detail", "")
        response.data = error_body(str(detail))
    return response


@contextmanager
def api_fields(mapping: Mapping[str, str]) -> Iterator[None]:
    """Rename the field a service names in its refusal to the API's name for that input.

    Services speak of ``reported_by_name`` or ``date_of_birth``; the API's body has
    ``reported_by.name`` and ``new_child.date_of_birth``. A mapping value may use ``{}`` for the
    service's own field name (``{"*": "answers.{}"}`` maps every field not named otherwise).
    """
    try:
        yield
    except DomainError as exc:
        if exc.field:
            target = mapping.get(exc.field, mapping.get("*"))
            if target:
                exc.field = target.format(exc.field)
        raise

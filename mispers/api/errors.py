"""One error shape for the whole API.

Every error answers ``{"detail": <message>, "field_errors": {<field>: [<message>, ...]}}``:

- a service's refusal (a ``DomainError``)     → 400, its message and the field it names
- ``NotFound`` (or another force's record)     → 404 ``{"detail": "Not found."}``
- ``PermissionDenied`` from the domain        → 403
- an optimistic-lock conflict                  → 409
- a request body of the wrong shape           → 400 with a message for each field
- not signed in / not a police user           → 401 / 403, as Django REST framework decides

Nested field errors are flattened to dotted names (``new_child.date_of_birth``,
``answers.exploitation``) so a client can put each message beside the input it belongs to.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from mispers.core.errors import DomainError, NotFound, PermissionDenied

NOT_FOUND = "Not found."
CHECK_FIELDS = "Check the fields marked as wrong and try again."


def _conflict_classes() -> tuple[type[DomainError], ...]:
    # Imported late: the API's error handler must not import the domain at settings time.
    from mispers.episodes.services import EpisodeConflict

    return (EpisodeConflict,)


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

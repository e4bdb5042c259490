"""The API's request parsers: Django REST framework's, with limits (ADR 0021).

Python's ``json`` module raises ``RecursionError`` (a server error) on a body nested a few
thousand levels deep, and nothing limits the length of a text value. These parsers answer
instead, in the API's error shape:

- a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes        → 413 (RequestLimitsMiddleware
  refuses it first by its Content-Length; this is the check for a stream without one)
- a body that is not JSON, not UTF-8, or nested deeper than
  ``MISPERS_MAX_JSON_DEPTH`` levels                               → 400
- a NUL character in any key or value (PostgreSQL cannot store it),
  or a value longer than ``MISPERS_MAX_TEXT_LENGTH`` characters     → 400 naming the field

The form parsers apply the same two checks to every value (a PATCH or PUT form body does not pass
through mispers.core.middleware.RequestLimitsMiddleware, which checks form POSTs).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from rest_framework import exceptions, parsers, status
from rest_framework.utils import json  # DRF's strict wrapper: NaN and Infinity are refused

from mispers.core.middleware import NUL_REFUSED, TOO_LARGE, max_text_length


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = TOO_LARGE
    default_code = "too_large"


def _refuse_text(path: str, message: str):
    raise exceptions.ValidationError({path or "non_field_errors": [message]})


def _check_text(value: str, path: str, limit: int) -> None:
    if "\x00" in value:
        _refuse_text(path, NUL_REFUSED)
    if len(value) > limit:
        _refuse_text(path, f"Enter at most {limit:,} characters.")


def check_values(data) -> None:
    """Walk parsed data without recursion: depth, NUL characters and text length."""
    max_depth = settings.MISPERS_MAX_JSON_DEPTH
    limit = max_text_length()
    stack = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > max_depth:
            raise exceptions.ParseError(
                f"JSON parse error - nested deeper than {max_depth} levels.")
        if isinstance(value, str):
            _check_text(value, path, limit)
        elif isinstance(value, dict):
            for key, item in value.items():
                name = f"{path}.{key}" if path else str(key)
                _check_text(str(key), name, limit)
                stack.append((item, name, depth + 1))
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                stack.append((item, f"{path}.{index}" if path else str(index), depth + 1))


EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2200, 1, 1, tzinfo=dt.UTC)


def datetime_in_range(value: dt.datetime) -> None:
    """Every date and time the API takes lies in 1900-2199 (ADR 0021). No record needs more, and
    before 1900 the local time zone (Europe/London) is local mean time, offset -00:01:15, which
    no RFC 3339 client can read back. Installed on every DateTimeField by ApiConfig.ready()."""
    if not EARLIEST <= value < LATEST:
        raise exceptions.ValidationError("Enter a date and time from 1900 to 2199.")


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge()
        encoding = parsers.get_encoding(parser_context or {})
        parse_constant = json.strict_constant if self.strict else None
        try:
            data = json.loads(raw.decode(encoding), parse_constant=parse_constant)
        except (ValueError, LookupError) as exc:  # not JSON, or not in the declared encoding
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None
        except RecursionError:
            raise exceptions.ParseError(
                f"JSON parse error - nested deeper than {settings.MISPERS_MAX_JSON_DEPTH} "
                "levels.") from None
        check_values(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        check_values({key: data.getlist(key) for key in data})
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        check_values({key: result.data.getlist(key) for key in result.data})
        return result

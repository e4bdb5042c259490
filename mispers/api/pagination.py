"""The API's list pagination: `?limit=` and `?offset=`, with a ceiling.

A caller asking for more than MAX_LIMIT rows gets MAX_LIMIT (DRF clamps, it does not refuse), so
no single call can pull a force's whole caseload (docs/adr/0018-least-privilege.md)."""

from rest_framework.pagination import LimitOffsetPagination

MAX_LIMIT = 100


class CappedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT

"""No list hands out a force's whole caseload in one call: `?limit=` is capped at 100 on every
list of the API (ADR 0018)."""


import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from mispers.api.pagination import MAX_LIMIT, CappedLimitOffsetPagination

pytestmark = pytest.mark.django_db


def _api_views(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _api_views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and prefix.startswith("api/"):
            cls = getattr(pattern.callback, "cls", None)
            if cls is not None:
                yield prefix + str(pattern.pattern), cls


def test_every_api_list_is_capped():
    views = list(_api_views(get_resolver().url_patterns))
    assert len(views) > 40
    paginators = [(route, getattr(cls, "pagination_class", None)) for route, cls in views]
    uncapped = [route for route, paginator in paginators
                if paginator is not None
                and not (issubclass(paginator, CappedLimitOffsetPagination)
                         or (getattr(paginator, "max_limit", None) or 10**9) <= MAX_LIMIT)]
    assert uncapped == []
    assert MAX_LIMIT == 100


def test_a_huge_limit_gets_100_rows(client_for, officer, analyst, report):
    for minutes in range(MAX_LIMIT + 5):
        report(officer, reported_minutes_ago=30 + minutes, given_name=f"Child{minutes}")
    body = client_for(officer).get("/api/v1/episodes/", {"limit": 100_000}).json()
    assert body["count"] == MAX_LIMIT + 5 and len(body["results"]) == MAX_LIMIT
    assert "limit=100" in body["next"]
    rows = client_for(analyst).get("/api/v1/analysis/episodes/", {"limit": 5000}).json()
    assert rows["count"] == MAX_LIMIT + 5 and len(rows["results"]) == MAX_LIMIT
    # The default page stays at 50.
    assert len(client_for(officer).get("/api/v1/children/").json()["results"]) == 50

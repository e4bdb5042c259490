"""Helpers for the API tests."""

from mispers.accounts.models import AccessLog
from mispers.episodes.models import Episode, TimelineEvent
from mispers.people.models import Alias, Child
from mispers.risk.models import Assessment, FactorAnswer

CASE_TABLES = (Child, Alias, Episode, TimelineEvent, Assessment, FactorAnswer)


def case_rows() -> dict[str, int]:
    """Row counts of every case table, to show that a refused request saved nothing."""
    return {model.__name__: model.objects.count() for model in CASE_TABLES}


def logged(user, object_type: str) -> list[str]:
    """The object ids `user` was logged as reading through the API, oldest first."""
    return list(AccessLog.objects.filter(user=user, channel="api", object_type=object_type)
                .order_by("id").values_list("object_id", flat=True))


def refused(response, status: int = 400) -> dict:
    """Assert an error response in the API's one error shape, and return its body."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "field_errors"}, body
    assert body["detail"]
    return body


def token_for(user, *, scope: str = "police", days: int = 90) -> str:
    """A new API token's secret for `user`, issued through the service (ADR 0017)."""
    from mispers.api.services import api_token_create
    from mispers.core import clock

    _token, secret = api_token_create(actor=user, user=user, name="Test client", scope=scope,
                                      now=clock.now(), days=days)
    return secret

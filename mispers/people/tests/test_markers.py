import datetime as dt

import pytest
from django.urls import reverse

from mispers.people.models import Marker


def test_sergeant_adds_exploitation_marker_and_next_recommendation_is_high(client, episode,
                                                                            sergeant):
    client.force_login(sergeant)
    url = reverse("people:add_marker", args=[episode.child_id])
    response = client.post(url, {"kind": "exploitation", "active_from": "2026-03-01"})
    assert response.status_code == 302
    marker = Marker.objects.get(child=episode.child)
    assert marker.kind == "exploitation" and marker.active_until is None
    page = client.get(reverse("risk:assess", args=[episode.pk])).content.decode()
    assert "active exploitation marker" in page


def test_marker_ending_before_it_starts_is_refused(client, episode, sergeant):
    client.force_login(sergeant)
    page = client.post(reverse("people:add_marker", args=[episode.child_id]),
                       {"kind": "exploitation", "active_from": "2026-03-01",
                        "active_until": "2026-02-01"})
    assert page.status_code == 200
    assert "cannot end before it starts" in page.content.decode()
    assert not Marker.objects.exists()


def test_call_handler_and_other_force_cannot_add_markers(client, episode, call_handler,
                                                         outsider):
    url = reverse("people:add_marker", args=[episode.child_id])
    data = {"kind": "exploitation", "active_from": dt.date(2026, 3, 1).isoformat()}
    client.force_login(call_handler)
    assert client.post(url, data).status_code == 403
    client.force_login(outsider)
    assert client.post(url, data).status_code == 404
    assert not Marker.objects.exists()


def test_a_second_active_marker_of_a_kind_is_refused(episode, sergeant, now):
    """Issue 10: one active marker per kind. Another kind, or a period that does not overlap,
    is still recorded."""
    from mispers.people.services import ChildInvalid, marker_add

    child = episode.child
    marker_add(actor=sergeant, now=now, child=child, kind="exploitation",
               active_from=dt.date(2026, 1, 1))
    for active_from, active_until in [(dt.date(2026, 3, 1), None),
                                      (dt.date(2025, 6, 1), dt.date(2026, 1, 1)),
                                      (dt.date(2025, 6, 1), None)]:
        with pytest.raises(ChildInvalid, match="already has an exploitation") as refused:
            marker_add(actor=sergeant, now=now, child=child, kind="exploitation",
                       active_from=active_from, active_until=active_until)
        assert refused.value.field == "kind"
    marker_add(actor=sergeant, now=now, child=child, kind="self_harm",
               active_from=dt.date(2026, 3, 1))
    marker_add(actor=sergeant, now=now, child=child, kind="exploitation",
               active_from=dt.date(2025, 1, 1), active_until=dt.date(2025, 12, 31))
    assert Marker.objects.filter(child=child, kind="exploitation").count() == 2


def test_the_page_refuses_a_second_active_marker(client, episode, sergeant):
    client.force_login(sergeant)
    url = reverse("people:add_marker", args=[episode.child_id])
    data = {"kind": "exploitation", "active_from": "2026-03-01"}
    assert client.post(url, data).status_code == 302
    page = client.post(url, data | {"active_from": "2026-04-01"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "govuk-error-summary" in text
    assert "already has an exploitation" in text and "one active marker of each kind" in text
    assert Marker.objects.filter(child=episode.child).count() == 1

import datetime as dt

import pytest
from django.urls import reverse

from mispers.people.models import Marker


def test_sergeant_adds_exploitation_marker_and_next_recommendation_is_high(client, episode,
                                                                            sergeant):
    client.force_login(sergeant)
    url = reverse("people:add_marker", args=[episode.child_id])
    response = client.post(url, {"kind": "exploitation", "subtype": "criminal",
                                 "source": "childrens_services", "active_from": "2026-03-01"})
    assert response.status_code == 302
    marker = Marker.objects.get(child=episode.child)
    assert marker.kind == "exploitation" and marker.active_until is None
    assert (marker.subtype, marker.source) == ("criminal", "childrens_services")
    # No review date given: six months on from the day it was recorded.
    assert marker.review_on == marker.created_at.date() + dt.timedelta(days=182)
    child_page = client.get(reverse("people:detail", args=[episode.child_id])).content.decode()
    assert "Child criminal exploitation (including county lines)" in child_page
    assert "Children&#x27;s services" in child_page
    page = client.get(reverse("risk:assess", args=[episode.pk])).content.decode()
    assert "active exploitation marker" in page


def test_marker_ending_before_it_starts_is_refused(client, episode, sergeant):
    client.force_login(sergeant)
    page = client.post(reverse("people:add_marker", args=[episode.child_id]),
                       {"kind": "exploitation", "subtype": "sexual", "source": "police",
                        "active_from": "2026-03-01", "active_until": "2026-02-01"})
    assert page.status_code == 200
    assert "cannot end before it starts" in page.content.decode()
    assert not Marker.objects.exists()


def test_call_handler_and_other_force_cannot_add_markers(client, episode, call_handler,
                                                         outsider):
    url = reverse("people:add_marker", args=[episode.child_id])
    data = {"kind": "exploitation", "subtype": "sexual", "source": "police",
            "active_from": dt.date(2026, 3, 1).isoformat()}
    client.force_login(call_handler)
    assert client.post(url, data).status_code == 403
    client.force_login(outsider)
    assert client.post(url, data).status_code == 404
    assert not Marker.objects.exists()


def test_one_active_marker_of_each_kind_and_exploitation_subtype(episode, sergeant, now):
    """ADR 22 and 38: one active marker per kind, and for exploitation per subtype. Another
    subtype, another kind, or a period that does not overlap is still recorded."""
    from mispers.people.services import ChildInvalid, marker_add

    child = episode.child
    marker_add(actor=sergeant, now=now, child=child, kind="exploitation", subtype="criminal",
               active_from=dt.date(2026, 1, 1))
    for active_from, active_until in [(dt.date(2026, 3, 1), None),
                                      (dt.date(2025, 6, 1), dt.date(2026, 1, 1)),
                                      (dt.date(2025, 6, 1), None)]:
        with pytest.raises(ChildInvalid, match="already has a child criminal exploitation"
                           ) as refused:
            marker_add(actor=sergeant, now=now, child=child, kind="exploitation",
                       subtype="criminal", active_from=active_from, active_until=active_until)
        assert refused.value.field == "subtype"
    marker_add(actor=sergeant, now=now, child=child, kind="exploitation", subtype="sexual",
               active_from=dt.date(2026, 3, 1))
    marker_add(actor=sergeant, now=now, child=child, kind="self_harm",
               active_from=dt.date(2026, 3, 1))
    marker_add(actor=sergeant, now=now, child=child, kind="exploitation", subtype="criminal",
               active_from=dt.date(2025, 1, 1), active_until=dt.date(2025, 12, 31))
    assert Marker.objects.filter(child=child, kind="exploitation").count() == 3


@pytest.mark.parametrize("kind, subtype, source, field, message", [
    ("exploitation", "", "police", "subtype", "Choose the kind of exploitation"),
    ("self_harm", "sexual", "police", "subtype", "Only an exploitation marker"),
    ("self_harm", "", "gossip", "source", "where the information came from"),
])
def test_a_marker_says_what_it_is_and_where_it_came_from(episode, sergeant, now, kind,
                                                          subtype, source, field, message):
    from mispers.people.services import ChildInvalid, marker_add

    with pytest.raises(ChildInvalid, match=message) as refused:
        marker_add(actor=sergeant, now=now, child=episode.child, kind=kind, subtype=subtype,
                   source=source, active_from=now.date())
    assert refused.value.field == field
    assert not Marker.objects.exists()


def test_a_review_keeps_the_marker_or_ends_it(episode, sergeant, now):
    from mispers.people.services import ChildInvalid, marker_add, marker_review

    marker = marker_add(actor=sergeant, now=now, child=episode.child, kind="mental_health",
                        source="health", active_from=now.date() - dt.timedelta(days=200),
                        review_on=now.date() - dt.timedelta(days=10))
    with pytest.raises(ChildInvalid, match="next review date must be in the future"):
        marker_review(actor=sergeant, now=now, marker=marker, note="Still applies",
                      review_on=now.date())
    with pytest.raises(ChildInvalid, match="Either end the marker or give"):
        marker_review(actor=sergeant, now=now, marker=marker, note="Hmm")
    with pytest.raises(ChildInvalid, match="Say why"):
        marker_review(actor=sergeant, now=now, marker=marker, note=" ",
                      ends_on=now.date())
    later = now.date() + dt.timedelta(days=90)
    marker = marker_review(actor=sergeant, now=now, marker=marker, review_on=later,
                           note="CAMHS still involved")
    assert marker.review_on == later and marker.active_until is None
    assert "reviewed, still applies. CAMHS still involved" in marker.note
    with pytest.raises(ChildInvalid, match="cannot be in the future"):
        marker_review(actor=sergeant, now=now, marker=marker, note="Discharged",
                      ends_on=now.date() + dt.timedelta(days=1))
    marker = marker_review(actor=sergeant, now=now, marker=marker, ends_on=now.date(),
                           note="Discharged by CAMHS")
    assert marker.active_until == now.date() and marker.review_on is None
    assert marker.history.count() == 3  # recorded, reviewed, ended: each version kept
    with pytest.raises(ChildInvalid, match="already ended"):
        marker_review(actor=sergeant, now=now + dt.timedelta(days=2), marker=marker,
                      note="Again", ends_on=now.date())


def test_the_review_page_shows_due_markers_and_records_the_outcome(client, episode, sergeant,
                                                                   call_handler, now):
    from mispers.core.clock import now as clock_now
    from mispers.people.services import marker_add

    today = clock_now().date()
    marker = marker_add(actor=sergeant, now=now, child=episode.child, kind="exploitation",
                        subtype="trafficking", source="police",
                        active_from=today - dt.timedelta(days=300),
                        review_on=today - dt.timedelta(days=1))
    client.force_login(sergeant)
    child_page = client.get(reverse("people:detail", args=[episode.child_id])).content.decode()
    assert "Review due" in child_page and "Trafficking or modern slavery" in child_page
    url = reverse("people:review_marker", args=[episode.child_id, marker.pk])
    refused = client.post(url, {"outcome": "ends", "note": "No longer a concern"})
    assert refused.status_code == 200 and "Enter the date the marker ends" in (
        refused.content.decode())
    assert client.post(url, {"outcome": "ends", "ends_on": today.isoformat(),
                             "note": "NRM decision: no longer a concern"}).status_code == 302
    marker.refresh_from_db()
    assert marker.active_until == today
    child_page = client.get(reverse("people:detail", args=[episode.child_id])).content.decode()
    assert "Review due" not in child_page
    client.force_login(call_handler)
    assert client.get(url).status_code == 403


def test_the_page_refuses_a_second_active_marker(client, episode, sergeant):
    client.force_login(sergeant)
    url = reverse("people:add_marker", args=[episode.child_id])
    data = {"kind": "exploitation", "subtype": "sexual", "source": "police",
            "active_from": "2026-03-01"}
    assert client.post(url, data).status_code == 302
    page = client.post(url, data | {"active_from": "2026-04-01"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "govuk-error-summary" in text
    assert "already has a child sexual exploitation" in text
    assert "one active marker of each kind" in text
    assert Marker.objects.filter(child=episode.child).count() == 1

import datetime as dt

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

"""Writing intelligence through the API (issue 14): entities, links with the hub alert, merges,
suggestions confirmed and dismissed. Police only; bad input is a 400 naming the field with
nothing saved; another force's records are not found."""

import pytest
from rest_framework.test import APIClient

from mispers.casework.tests import test_hub_alerts as hub_alerts
from mispers.intelligence.models import Entity, Link, Suggestion
from mispers.intelligence.services import suggestions_from_text
from mispers.returns.models import MarkerProposal

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def ring(force, now, child_details, make_user):
    """Three children and "Jaydee", seen with the first two (test_hub_alerts.ring)."""
    return hub_alerts.ring.__wrapped__(force, now, child_details, make_user)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def grading(**extra):
    return {"kind": "seen_with", "occurred_on": "2026-11-01", "source_evaluation": "B",
            "information_assessment": "2", **extra}


def test_an_officer_records_a_phone_and_a_bad_number_is_refused_naming_the_field(ring):
    _, officers, _, _, _ = ring
    api = client_for(officers[0])
    made = api.post(f"{API}/intelligence/entities/", {"kind": "phone", "phone": "07700 900481"},
                    format="json")
    assert made.status_code == 201 and made.json()["key"] == "+447700900481"
    assert made.json()["label"] == "07700 900481"
    before = Entity.objects.count()
    refused = api.post(f"{API}/intelligence/entities/", {"kind": "phone", "phone": "12"},
                       format="json")
    assert refused.status_code == 400 and "phone" in refused.json()["field_errors"]
    plate = api.post(f"{API}/intelligence/entities/",
                     {"kind": "vehicle", "registration": "not a plate"}, format="json")
    assert plate.status_code == 400 and "registration" in plate.json()["field_errors"]
    assert Entity.objects.count() == before


def test_linking_the_third_child_through_the_api_answers_with_the_hub_alert(ring, now):
    w, officers, children, episodes, jay = ring
    api = client_for(officers[2])
    answer = api.post(f"{API}/children/{children[2].pk}/intelligence-links/",
                      {"entity": str(jay.pk), "source": "enquiry_log",
                       "episode": str(episodes[2].pk),
                       **grading(occurred_on=str(now.date()))}, format="json")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["grading"] == "B2P" and body["episode"] == str(episodes[2].pk)
    alert = body["hub_alert"]
    assert alert["label"] == "Jaydee" and alert["children"] == 3 and alert["marker_proposed"]
    assert {n.recipient for n in hub_alerts.hub_notices()} == {w.coordinator, officers[2]}
    assert MarkerProposal.objects.filter(child=children[2]).count() == 1
    # The GET on the same address lists it.
    listed = api.get(f"{API}/children/{children[2].pk}/intelligence-links/").json()["results"]
    assert [link["entity"]["label"] for link in listed] == ["Jaydee"]


def test_bad_links_are_refused_and_nothing_is_saved(ring, outsider, now):
    w, officers, children, episodes, jay = ring
    api = client_for(officers[0])
    before = Link.objects.count()
    url = f"{API}/children/{children[0].pk}/intelligence-links/"
    future = api.post(url, {"entity": str(jay.pk), "source": "enquiry_log",
                            **grading(occurred_on="2099-01-01")}, format="json")
    assert future.status_code == 400 and "occurred_on" in future.json()["field_errors"]
    wrong_episode = api.post(url, {"entity": str(jay.pk), "source": "enquiry_log",
                                   "episode": str(episodes[1].pk), **grading()}, format="json")
    assert wrong_episode.status_code == 400
    assert "episode" in wrong_episode.json()["field_errors"]
    grade = api.post(url, {"entity": str(jay.pk), "source": "enquiry_log",
                           **grading(source_evaluation="E")}, format="json")
    assert grade.status_code == 400 and "source_evaluation" in grade.json()["field_errors"]
    assert Link.objects.count() == before
    # Another force's officer finds neither the child nor the entity.
    other = client_for(outsider)
    assert other.post(url, {"entity": str(jay.pk), "source": "enquiry_log", **grading()},
                      format="json").status_code == 404
    assert Link.objects.count() == before


def test_partners_and_the_commissioner_cannot_write(ring, force, make_user):
    w, officers, children, _, jay = ring
    for user in [w.users.care_worker, w.users.social_worker,
                 make_user(force=force, roles=["commissioner"], username="pcc")]:
        api = client_for(user)
        assert api.post(f"{API}/intelligence/entities/", {"kind": "person", "name": "Kay"},
                        format="json").status_code == 403
        assert api.post(f"{API}/children/{children[0].pk}/intelligence-links/",
                        {"entity": str(jay.pk), "source": "partner", **grading()},
                        format="json").status_code == 403
    assert not Entity.objects.filter(name="Kay").exists()


def test_merging_different_kinds_is_refused_and_the_same_kind_merges(ring, now):
    w, officers, children, _, jay = ring
    api = client_for(w.coordinator)
    phone = api.post(f"{API}/intelligence/entities/", {"kind": "phone", "phone": "07700900482"},
                     format="json").json()
    refused = api.post(f"{API}/intelligence/entities/{jay.pk}/merge/",
                       {"duplicate": phone["id"], "reason": "Same"}, format="json")
    assert refused.status_code == 400 and "cannot be merged" in refused.json()["detail"]
    assert Entity.objects.get(pk=phone["id"]).merged_into_id is None
    again = api.post(f"{API}/intelligence/entities/", {"kind": "person", "name": "Jay D"},
                     format="json").json()
    merged = api.post(f"{API}/intelligence/entities/{jay.pk}/merge/",
                      {"duplicate": again["id"], "reason": "The same man"}, format="json")
    assert merged.status_code == 201 and merged.json()["kept"]["label"] == "Jaydee"
    assert Entity.objects.get(pk=again["id"]).merged_into_id == jay.pk
    # An officer (not a supervisor or the coordinator) may not merge.
    other = api.post(f"{API}/intelligence/entities/", {"kind": "person", "name": "J Dee"},
                     format="json").json()
    assert client_for(officers[0]).post(f"{API}/intelligence/entities/{jay.pk}/merge/", {
        "duplicate": other["id"], "reason": "x"}, format="json").status_code == 403


def test_a_suggestion_from_an_interview_is_confirmed_or_dismissed(ring, now):
    w, officers, children, episodes, jay = ring
    made = suggestions_from_text(actor=officers[2], now=now, child=children[2],
                                 source="return_home_interview", source_ref="rhi:api-test",
                                 text="She said Jaydee picked her up; his number 07700 900483.",
                                 episode=episodes[2])
    by_kind = {s.kind: s for s in made}
    assert set(by_kind) == {"person", "phone"}
    api = client_for(officers[2])
    confirmed = api.post(f"{API}/intelligence/suggestions/{by_kind['person'].pk}/confirm/",
                         grading(kind="picked_up_by", occurred_on=str(now.date())),
                         format="json")
    assert confirmed.status_code == 201, confirmed.content
    assert confirmed.json()["source"] == "return_home_interview"
    assert confirmed.json()["hub_alert"]["label"] == "Jaydee"
    again = api.post(f"{API}/intelligence/suggestions/{by_kind['person'].pk}/confirm/",
                     grading(), format="json")
    assert again.status_code == 400 and "decided already" in again.json()["detail"]
    dismissed = api.post(f"{API}/intelligence/suggestions/{by_kind['phone'].pk}/dismiss")
    assert dismissed.status_code == 200 and dismissed.json()["state"] == "dismissed"
    assert Suggestion.objects.get(pk=by_kind["phone"].pk).state == "dismissed"
    assert not Entity.objects.filter(key="+447700900483").exists()

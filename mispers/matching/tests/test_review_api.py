"""The merge review queue in the REST API: scoped to the force, refusals with field names."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from mispers.accounts.models import AccessLog
from mispers.casework.children import child_create
from mispers.matching.models import ChildMerge, DuplicateSuggestion
from mispers.people.models import Child
from mispers.people.services import ChildDetails

from .merging import links, matching_rows

SUGGESTIONS = "/api/v1/duplicate-suggestions/"
MERGES = "/api/v1/children/merges/"


@pytest.fixture
def coordinator(force, make_user):
    return make_user(force=force, roles=["coordinator"], rank="sergeant", username="coord")


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def pair(force, coordinator, now):
    a, b = (child_create(actor=coordinator, now=now, force=force, details=ChildDetails(
        given_name="Amira", family_name=family, date_of_birth=dt.date(2011, 6, 1)))
        for family in ("Smith", "Smyth"))
    a, b = sorted([a, b], key=lambda c: str(c.pk))
    return DuplicateSuggestion.objects.create(
        force=force, child_a=a, child_b=b, match_weight=14.2, match_probability=0.9999,
        found_at=now, explanation=[{"field": "family_name", "level": "close", "weight": 4.3,
                                    "label": "Family name: close spelling (Smith / Smyth)"}])


def test_list_pending_pairs_with_both_children(coordinator, pair):
    response = api(coordinator).get(SUGGESTIONS)
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["id"] == pair.pk and row["status"] == "pending"
    assert {row["child_a"]["id"], row["child_b"]["id"]} == {str(pair.child_a_id),
                                                            str(pair.child_b_id)}
    assert row["child_a"]["episode_count"] == 0
    assert row["explanation"][0]["label"] == "Family name: close spelling (Smith / Smyth)"
    assert AccessLog.objects.filter(channel="api", user=coordinator).count() == 2


def test_merge_and_undo(coordinator, pair):
    client = api(coordinator)
    response = client.post(MERGES, {"survivor": str(pair.child_a_id),
                                    "merged": str(pair.child_b_id), "reason": "Same child",
                                    "suggestion": pair.pk}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["survivor"]["id"] == str(pair.child_a_id) and body["undone_at"] is None
    assert client.get(SUGGESTIONS).json()["results"] == []
    children = client.get("/api/v1/children/").json()["results"]
    assert [c["id"] for c in children] == [str(pair.child_a_id)]  # the merged one is gone
    assert client.get(f"/api/v1/children/{pair.child_b_id}/").status_code == 404

    undo = client.post(f"{MERGES}{body['id']}/undo", {"reason": "Wrong"}, format="json")
    assert undo.status_code == 200 and undo.json()["undo_reason"] == "Wrong"
    again = client.post(f"{MERGES}{body['id']}/undo", {"reason": "Wrong"}, format="json")
    assert again.status_code == 400 and "merge" in again.json()["field_errors"]
    assert [m["id"] for m in client.get(MERGES).json()["results"]] == [body["id"]]


def test_reject(coordinator, pair):
    client = api(coordinator)
    blank = client.post(f"{SUGGESTIONS}{pair.pk}/reject", {"reason": " "}, format="json")
    assert blank.status_code == 400 and list(blank.json()["field_errors"]) == ["reason"]
    done = client.post(f"{SUGGESTIONS}{pair.pk}/reject", {"reason": "Cousins"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "rejected"


@pytest.mark.parametrize("body, field", [
    (lambda p, o: {"survivor": p.child_a_id, "merged": p.child_a_id, "reason": "x"}, "merged"),
    (lambda p, o: {"survivor": p.child_a_id, "merged": o.pk, "reason": "x"}, "merged"),
    (lambda p, o: {"survivor": p.child_a_id, "merged": p.child_b_id, "reason": ""}, "reason"),
    (lambda p, o: {"survivor": p.child_a_id, "merged": p.child_b_id, "reason": "x",
                   "suggestion": 999999}, "suggestion"),
    (lambda p, o: {"survivor": "not-a-uuid", "merged": p.child_b_id, "reason": "x"},
     "survivor"),
])
def test_bad_merges_answer_400_with_the_field(coordinator, pair, other_force, now, body,
                                              field):
    stranger = child_create(actor=coordinator, now=now, force=other_force, details=ChildDetails(
        given_name="Amira", family_name="Smith", date_of_birth=dt.date(2011, 6, 1)))
    before, rows = links(), matching_rows()
    given = {k: str(v) for k, v in body(pair, stranger).items()}
    response = api(coordinator).post(MERGES, given, format="json")
    assert response.status_code == 400
    assert field in response.json()["field_errors"]
    assert links() == before and matching_rows() == rows
    assert not ChildMerge.objects.exists()


def test_who_may_use_it(call_handler, outsider, inspector, pair, other_force, make_user):
    assert api(call_handler).get(SUGGESTIONS).status_code == 403
    assert api(call_handler).post(MERGES, {}, format="json").status_code == 403
    assert api(inspector).get(SUGGESTIONS).status_code == 200
    elsewhere = make_user(force=other_force, roles=["coordinator"], rank="sergeant")
    assert api(elsewhere).get(SUGGESTIONS).json()["results"] == []
    assert api(elsewhere).post(f"{SUGGESTIONS}{pair.pk}/reject", {"reason": "x"},
                               format="json").status_code == 404
    assert api(elsewhere).post(f"{MERGES}1/undo", {"reason": "x"},
                               format="json").status_code == 404
    assert Child.objects.filter(merged_into__isnull=False).count() == 0

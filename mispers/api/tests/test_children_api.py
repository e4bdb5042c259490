"""GET/POST /api/v1/children/ and GET /api/v1/children/{id}/."""

import datetime as dt

import pytest

from mispers.casework.children import child_create
from mispers.people.models import Child
from mispers.people.services import ChildDetails, marker_add

from .helpers import case_rows, logged, refused

URL = "/api/v1/children/"

NEW_CHILD = {
    "given_name": "Jayden", "family_name": "Apitest", "date_of_birth": "2012-02-03",
    "sex": "male", "ethnicity": "black_african", "description": "Slim, short dark hair",
    "looked_after": True, "local_authority": "Cornwall Council",
    "placement_address": "2 Harbour View, Truro",
    "aliases": [{"given_name": "Jay", "family_name": ""}],
}


@pytest.fixture
def amira(officer, force, now, child_details):
    child = child_create(actor=officer, now=now, force=force,
                         details=child_details(aliases=(("Mira", "Smith"),)))
    marker_add(actor=officer, now=now, child=child, kind="exploitation", subtype="criminal",
               active_from=dt.date(2025, 1, 1), note="CSE concerns")
    marker_add(actor=officer, now=now, child=child, kind="self_harm",
               active_from=dt.date(2024, 1, 1), active_until=dt.date(2024, 6, 1))
    return child


def test_list_shows_the_forces_children_and_logs_each_one(client_for, officer, amira, force,
                                                          now):
    other = child_create(actor=officer, now=now, force=force, details=ChildDetails(
        given_name="Ben", family_name="Another", estimated_age=13))
    response = client_for(officer).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    by_name = {row["full_name"]: row for row in body["results"]}
    assert by_name["Amira Testchild"]["age"] == 14
    assert by_name["Amira Testchild"]["looked_after"] is True
    assert by_name["Ben Another"]["date_of_birth"] is None
    assert by_name["Ben Another"]["estimated_age"] == 13
    assert sorted(logged(officer, "child")) == sorted([str(amira.pk), str(other.pk)])


def test_name_search_matches_names_and_aliases(client_for, officer, amira, force, now):
    child_create(actor=officer, now=now, force=force, details=ChildDetails(
        given_name="Ben", family_name="Another", estimated_age=13))
    client = client_for(officer)
    assert [r["id"] for r in client.get(URL, {"q": "testch"}).json()["results"]] == [
        str(amira.pk)]
    assert [r["id"] for r in client.get(URL, {"q": "mira smith"}).json()["results"]] == [
        str(amira.pk)]
    assert client.get(URL, {"q": "nobody"}).json()["count"] == 0


def test_detail_has_the_whole_record_and_is_logged(client_for, officer, amira):
    response = client_for(officer).get(f"{URL}{amira.pk}/")
    assert response.status_code == 200
    child = response.json()
    assert child["given_name"] == "Amira"
    assert child["date_of_birth"] == "2011-06-01"
    assert child["age"] == 14
    assert child["sex"] == "female"
    assert child["ethnicity"] == "asian_pakistani"
    assert child["looked_after"] is True
    assert child["local_authority"] == "Plymouth City Council"
    assert child["placement_address"] == "1 Example Row, Plymouth"
    assert child["aliases"] == [{"given_name": "Mira", "family_name": "Smith", "kind": "alias"}]
    markers = {m["kind"]: m for m in child["markers"]}
    assert markers["exploitation"]["active"] is True
    assert markers["exploitation"]["active_from"] == "2025-01-01"
    assert markers["exploitation"]["active_until"] is None
    assert markers["self_harm"]["active"] is False
    assert markers["self_harm"]["active_until"] == "2024-06-01"
    assert logged(officer, "child") == [str(amira.pk)]


def test_create_records_the_child(client_for, officer):
    response = client_for(officer).post(URL, NEW_CHILD, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    child = Child.objects.get(pk=body["id"])
    assert child.force_id == officer.force_id
    assert child.created_by == officer
    assert body["full_name"] == "Jayden Apitest"
    assert body["age"] == 14
    assert body["aliases"] == [{"given_name": "Jay", "family_name": "", "kind": "alias"}]


def test_create_with_an_estimated_age(client_for, officer):
    given = {"given_name": "Unknown", "family_name": "Girl", "estimated_age": 15}
    response = client_for(officer).post(URL, given, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["estimated_age"] == 15
    assert response.json()["age"] == 15


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"date_of_birth": "2027-01-01"}, "date_of_birth", "in the past"),
    ({"date_of_birth": "2007-01-01"}, "date_of_birth", "18 or over"),
    ({"date_of_birth": None, "estimated_age": 18}, "estimated_age", "between 0 and 17"),
    ({"date_of_birth": None}, "date_of_birth", "estimated age"),
    ({"given_name": "", "family_name": ""}, "given_name", "name"),
    ({"local_authority": ""}, "local_authority", "local authority"),
])
def test_bad_details_are_refused_and_nothing_is_saved(client_for, officer, change, field, words):
    before = case_rows()
    response = client_for(officer).post(URL, {**NEW_CHILD, **change}, format="json")
    body = refused(response)
    assert words in body["detail"]
    assert body["field_errors"] == {field: [body["detail"]]}
    assert case_rows() == before


@pytest.mark.parametrize(("change", "field"), [
    ({"sex": "robot"}, "sex"),
    ({"date_of_birth": "3rd of May"}, "date_of_birth"),
    ({"looked_after": "perhaps"}, "looked_after"),
    ({"aliases": [{"given_name": 5 * "x" * 30}]}, "aliases.0.given_name"),
])
def test_badly_shaped_input_names_the_field(client_for, officer, change, field):
    before = case_rows()
    body = refused(client_for(officer).post(URL, {**NEW_CHILD, **change}, format="json"))
    assert list(body["field_errors"]) == [field]
    assert body["detail"].startswith(f"{field}: ")
    assert case_rows() == before


def test_missing_fields_are_each_named(client_for, officer):
    body = refused(client_for(officer).post(URL, {}, format="json"))
    assert set(body["field_errors"]) == {"given_name", "family_name"}


def test_an_analyst_neither_reads_nor_records_children(client_for, analyst, amira):
    client = client_for(analyst)  # the analysis API is theirs, not named children (ADR 0018)
    assert refused(client.get(URL), 403)
    assert refused(client.get(f"{URL}{amira.pk}/"), 403)
    before = case_rows()
    refused(client.post(URL, NEW_CHILD, format="json"), 403)
    assert case_rows() == before


def test_a_child_very_like_a_known_one_needs_confirmation(client_for, officer):
    client = client_for(officer)
    assert client.post(URL, NEW_CHILD, format="json").status_code == 201
    respelled = {**NEW_CHILD, "family_name": NEW_CHILD["family_name"][:-1] + "e"}
    body = refused(client.post(URL, respelled, format="json"))
    assert "confirmed_new_child" in body["field_errors"]
    assert Child.objects.filter(family_name=respelled["family_name"]).count() == 0

    confirmed = client.post(URL, {**respelled, "confirmed_new_child": True}, format="json")
    assert confirmed.status_code == 201, confirmed.content
    assert Child.objects.filter(family_name=respelled["family_name"]).count() == 1

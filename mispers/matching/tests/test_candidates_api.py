"""GET /api/v1/children/candidates, and the strong-candidate confirmation on POST
/api/v1/episodes/."""

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from mispers.accounts.models import AccessLog
from mispers.casework.children import child_create
from mispers.episodes.models import Episode
from mispers.people.models import Child

URL = "/api/v1/children/candidates"


@pytest.fixture(autouse=True)
def frozen_clock(now):
    with time_machine.travel(now, tick=False):
        yield


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def known(force, call_handler, now, child_details):
    return child_create(actor=call_handler, now=now, force=force, details=child_details(
        given_name="Katherine", family_name="Smith", date_of_birth=dt.date(2011, 5, 3)))


def test_candidates_with_score_strong_flag_and_reasons(call_handler, known):
    before = AccessLog.objects.count()
    answer = client_for(call_handler).get(URL, {"given_name": "Kate", "family_name": "Smith",
                                                "date_of_birth": "2012-05-03"})
    assert answer.status_code == 200
    (first,) = answer.json()
    assert first["child"]["id"] == str(known.pk)
    assert first["child"]["full_name"] == "Katherine Smith"
    assert first["strong"] is True and 80 <= first["score"] <= 100
    assert {"field": "given_name", "agrees": True,
            "text": "Known by nickname (Kate / Katherine)"} in first["reasons"]
    assert {"field": "date_of_birth", "agrees": True,
            "text": "Date of birth one year apart (3 May 2012 / 3 May 2011)"} in first["reasons"]
    assert AccessLog.objects.count() == before + 1  # the child shown is logged


def test_age_instead_of_date_of_birth(call_handler, known):
    answer = client_for(call_handler).get(URL, {"given_name": "Katherine",
                                                "family_name": "Smith", "age": "14"})
    assert answer.json()[0]["child"]["id"] == str(known.pk)


@pytest.mark.parametrize("params, field", [
    ({"given_name": "Katherine", "date_of_birth": "2011-02-30"}, "date_of_birth"),
    ({"date_of_birth": "2011-05-03"}, "family_name"),
    ({"family_name": "Smith", "age": "abc"}, "age"),
    ({"family_name": "Smith", "age": "99"}, "age"),
    ({"family_name": "Smith", "date_of_birth": "2030-01-01"}, "date_of_birth"),
])
def test_bad_input_is_400_with_the_field_named(call_handler, params, field):
    answer = client_for(call_handler).get(URL, params)
    assert answer.status_code == 400
    assert field in answer.json()["field_errors"]


def test_scoped_to_the_users_force(outsider, known):
    answer = client_for(outsider).get(URL, {"given_name": "Katherine", "family_name": "Smith",
                                            "date_of_birth": "2011-05-03"})
    assert answer.status_code == 200 and answer.json() == []
    assert APIClient().get(URL, {"family_name": "Smith"}).status_code == 401


def test_in_the_openapi_schema(client, call_handler):
    client.force_login(call_handler)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/children/candidates" in schema and "confirmed_new_child" in schema


@pytest.fixture
def body(now):
    def make(**changes):
        return {
            "new_child": {"given_name": "Kathryn", "family_name": "Smyth",
                          "date_of_birth": "2011-05-03", "sex": "female"},
            "reported_at": (now - dt.timedelta(minutes=20)).isoformat(),
            "reported_by": {"name": "A Carer"},
            "last_seen_at": (now - dt.timedelta(hours=4)).isoformat(),
            "last_seen_where": "Home", "missing_from": "home", **changes,
        }

    return make


def test_new_child_like_a_known_one_needs_confirmed_new_child(call_handler, known, body):
    api = client_for(call_handler)
    refused = api.post("/api/v1/episodes/", body(), format="json")
    assert refused.status_code == 400
    errors = refused.json()["field_errors"]
    assert "Katherine Smith, born 3 May 2011" in errors["confirmed_new_child"][0]
    assert not Child.objects.filter(family_name="Smyth").exists()
    made = api.post("/api/v1/episodes/", body(confirmed_new_child=True), format="json")
    assert made.status_code == 201
    assert Episode.objects.get().child.family_name == "Smyth"


def test_reporting_the_known_child_needs_no_confirmation(call_handler, known, body):
    made = client_for(call_handler).post("/api/v1/episodes/", body(
        new_child=None, child=str(known.pk)), format="json")
    assert made.status_code == 201

"""The where-to-look page and its "Record a search" form, the force's figure, and the API:
police only (partners and the commissioner's office 403, another force 404), every view
logged, a search for an episode no longer missing refused with nothing saved."""

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from mispers.accounts.models import AccessLog
from mispers.casework.found import return_record
from mispers.core.testing import page_text
from mispers.searches.models import Search, SuggestionsShown

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock(now):
    with time_machine.travel(now, tick=False):
        yield


def _url(episode):
    return f"/episodes/{episode.pk}/where-to-look/"


def _post(now, **overrides):
    local = now.astimezone(dt.timezone(dt.timedelta(0)))
    data = {"where": "1", "searched_at_day": local.day, "searched_at_month": local.month,
            "searched_at_year": local.year, "searched_at_time": "14:50", "who": "PC 123 Smith",
            "result": "not_found", "notes": "Checked the bowl and the benches"}
    data.update(overrides)
    return data


def test_an_officer_sees_the_list_records_a_search_and_the_list_updates(client, scene, officer,
                                                                       now):
    child, places, episode = scene
    client.force_login(officer)
    text = page_text(client.get(_url(episode)))
    assert "1. Central skate park" in text and "2. Flat 3, Dock Street" in text
    assert "Right for this child before: 2 of 3 times" in text
    assert "Where children aged 12 to 14 are found" in text
    assert AccessLog.objects.filter(user=officer, child_id=child.pk, object_type="episode",
                                    outcome="shown").exists()
    assert SuggestionsShown.objects.filter(episode=episode).count() == 1

    response = client.post(_url(episode), _post(now))
    assert response.status_code == 302
    search = Search.objects.get()
    assert (search.place, search.suggestion_rank, search.who) == (places.skate, 1,
                                                                  "PC 123 Smith")
    assert search.suggestion_reason.startswith("Found here 2 times before")
    text = page_text(client.get(_url(episode)))
    assert "1. Flat 3, Dock Street" in text and "3. Central skate park" in text
    assert "Search recorded. The list of places has been updated." in text
    assert "Not found there" in text
    # The list changed, so what was shown is kept again: the return can be judged by it.
    assert SuggestionsShown.objects.filter(episode=episode).count() == 2


def test_somewhere_else_needs_saying_where(client, scene, officer, now):
    child, places, episode = scene
    client.force_login(officer)
    text = page_text(client.post(_url(episode), _post(now, where="elsewhere")), 400)
    assert "Say where was searched" in text
    assert not Search.objects.exists()
    client.post(_url(episode), _post(now, where="elsewhere", place_note="harbour cafe"))
    assert Search.objects.get().place == places.cafe  # the place on record of that name


def test_a_search_for_a_found_child_is_refused_and_nothing_saved(client, scene, officer, now):
    child, places, episode = scene
    return_record(actor=officer, now=now, episode=episode, found_at=now - dt.timedelta(
        minutes=5), found_where="Skate park", found_by="police", condition="safe_and_well",
                  found_place=places.skate)
    client.force_login(officer)
    text = page_text(client.post(_url(episode), _post(now)), 400)
    assert "no longer missing" in text
    assert not Search.objects.exists()
    text = page_text(client.get(_url(episode)))
    assert "Record a search" not in text and "1. Central skate park" in text


@pytest.mark.parametrize("role", ["analyst", "force_admin", "commissioner"])
def test_police_roles_without_case_reading_are_refused(client, scene, force, make_user, role):
    child, places, episode = scene
    client.force_login(make_user(force=force, roles=[role]))
    assert client.get(_url(episode)).status_code == 403
    assert client.get("/searches/").status_code == 403


def test_a_partner_is_refused(client, scene, force, now):
    from mispers.partners.models import PartnerOrganisation
    from mispers.partners.services import organisation_create
    from mispers.partners.tests.together import partner_user

    child, places, episode = scene
    home = organisation_create(actor=None, now=now, name="A Home", forces=[force],
                               kind=PartnerOrganisation.Kind.CARE_PROVIDER,
                               email="home@partners.example")
    client.force_login(partner_user(home, "care-worker", "care_worker"))
    assert client.get(_url(episode)).status_code == 403
    assert client.post(_url(episode), _post(now)).status_code == 403
    assert not Search.objects.exists()


def test_another_force_is_not_told_the_episode_exists(client, scene, outsider, now):
    child, places, episode = scene
    client.force_login(outsider)
    assert client.get(_url(episode)).status_code == 404
    assert client.post(_url(episode), _post(now)).status_code == 404
    assert not Search.objects.exists()


def test_the_force_sees_which_suggestions_found_children(client, scene, officer, now):
    child, places, episode = scene
    client.force_login(officer)
    with time_machine.travel(now - dt.timedelta(minutes=30), tick=False):
        client.get(_url(episode))  # the list shown while missing: the skate park first
    return_record(actor=officer, now=now, episode=episode, found_at=now - dt.timedelta(
        minutes=5), found_where="Skate park", found_by="police", condition="safe_and_well",
                  found_place=places.skate)
    text = page_text(client.get("/searches/"))
    top = text.split('id="top-three">')[1].split("</dd>")[0]
    # The three earlier returns had no list shown; this one was found at suggestion 1.
    assert top.strip() == "1 of 1 (100%)"
    assert "The child's own earlier found places: 1" in text
    assert "Tia" not in text  # counts only


# --- the API ----------------------------------------------------------------------------------

def _api(user):
    api = APIClient()
    api.force_login(user)
    return api


def test_the_api_gives_the_list_and_records_a_search(scene, officer, now):
    child, places, episode = scene
    api = _api(officer)
    body = api.get(f"/api/v1/episodes/{episode.pk}/where-to-look/").json()
    first = body["suggestions"][0]
    assert first["place"]["name"] == "Central skate park" and first["rank"] == 1
    assert first["right_before"] == 2 and first["returns_before"] == 3
    assert body["base_rates"][0] == {"category": "home", "label": "at home or the placement",
                                     "share": 0.25, "right_before": 0, "returns_before": 3}
    assert AccessLog.objects.filter(user=officer, channel="api", object_type="episode",
                                    child_id=child.pk).exists()
    response = api.post(f"/api/v1/episodes/{episode.pk}/searches/", {
        "place": str(places.skate.pk), "searched_at": (now - dt.timedelta(minutes=5))
        .isoformat(), "result": "not_found", "who": "PC 7", "suggestion_rank": 1},
        format="json")
    assert response.status_code == 201, response.content
    listed = api.get(f"/api/v1/episodes/{episode.pk}/searches/").json()
    assert [row["place_name"] for row in listed["results"]] == ["Central skate park"]
    body = api.get(f"/api/v1/episodes/{episode.pk}/where-to-look/").json()
    assert body["suggestions"][0]["place"]["name"] == "Flat 3, Dock Street"


def test_the_api_refuses_a_closed_case_partners_and_another_force(scene, officer, outsider,
                                                                  force, make_user, now):
    child, places, episode = scene
    return_record(actor=officer, now=now, episode=episode, found_at=now - dt.timedelta(
        minutes=5), found_where="Home", found_by="police", condition="safe_and_well")
    url = f"/api/v1/episodes/{episode.pk}/searches/"
    given = {"place_note": "The park", "searched_at": (now - dt.timedelta(minutes=10))
             .isoformat(), "result": "not_found"}
    response = _api(officer).post(url, given, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == ("The child has been found: searches are recorded "
                                         "while a child is missing")
    assert _api(outsider).post(url, given, format="json").status_code == 404
    commissioner = make_user(force=force, roles=["commissioner"])
    assert _api(commissioner).get(url).status_code == 403
    assert not Search.objects.exists()

"""/api/v1/places/ and places on reports and returns through the API (issue 11)."""

import datetime as dt

import pytest

from mispers.episodes.models import Episode
from mispers.places.details import PlaceDetails
from mispers.places.models import Place
from mispers.places.services import place_create

from .helpers import refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def station(call_handler, now):
    return place_create(actor=call_handler, now=now, details=PlaceDetails(
        kind="transport_hub", name="Plymouth bus station", postcode="PL4 8AA"))


def test_search_and_record_places(client_for, call_handler, station, outsider):
    api = client_for(call_handler)
    found = api.get("/api/v1/places/", {"q": "plym bus"}).json()
    assert [p["name"] for p in found["results"]] == ["Plymouth bus station"]
    assert found["results"][0]["postcode"] == "PL4 8AA"
    made = api.post("/api/v1/places/", {"kind": "street_or_park", "name": "Central Park",
                                        "postcode": "pl1 1aa", "latitude": "50.37",
                                        "longitude": "-4.14"}, format="json")
    assert made.status_code == 201 and made.json()["postcode"] == "PL1 1AA"
    body = refused(api.post("/api/v1/places/", {"kind": "school", "name": "X",
                                                "postcode": "nonsense"}, format="json"))
    assert "Enter a full UK postcode" in body["field_errors"]["postcode"][0]
    assert Place.objects.count() == 2
    theirs = client_for(outsider)
    assert theirs.get("/api/v1/places/", {"q": "plymouth"}).json()["results"] == []
    assert theirs.get(f"/api/v1/places/{station.pk}/").status_code == 404


def test_a_report_names_its_places_and_another_forces_place_is_refused(
        client_for, call_handler, station, child_details, force, outsider, now):
    from mispers.casework.children import child_create

    child = child_create(actor=call_handler, now=now, force=force,
                         details=child_details(given_name="Api", family_name="Placeson"))
    body = {"child": str(child.pk), "reported_at": (now - dt.timedelta(minutes=20)).isoformat(),
            "reported_by": {"name": "A Carer"},
            "last_seen_at": (now - dt.timedelta(hours=4)).isoformat(),
            "last_seen_where": "Bus shelter", "missing_from": "care",
            "last_seen_place": str(station.pk)}
    api = client_for(call_handler)
    theirs = place_create(actor=outsider, now=now, details=PlaceDetails(
        kind="school", name="Their school"))
    body_refused = refused(api.post("/api/v1/episodes/", {**body, "missing_from_place": str(
        theirs.pk)}, format="json"))
    assert body_refused["field_errors"]["missing_from_place"] == ["Place not found"]
    assert not Episode.objects.exists()
    made = api.post("/api/v1/episodes/", body, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["last_seen_place"] == str(station.pk)
    assert Episode.objects.get().last_seen_place == station

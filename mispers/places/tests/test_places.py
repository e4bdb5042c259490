"""Places as data (issue 11): recorded with checked fields, found in a few keystrokes (with or
without JavaScript), corrected with a reason, merged; the force's own, for case workers only."""

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from mispers.casework.places import place_merge
from mispers.core.errors import PermissionDenied
from mispers.episodes.models import Episode
from mispers.partners import services as partner_services
from mispers.places.details import PlaceDetails, PlaceInvalid
from mispers.places.models import Place
from mispers.places.selectors import place_search
from mispers.places.services import place_create, place_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(force, make_user):
    return make_user(force=force, roles=["coordinator"], rank="sergeant", username="coord")


@pytest.fixture
def provider(force, coordinator, now):
    return partner_services.organisation_create(
        actor=coordinator, now=now, name="Harbour Care Ltd", kind="care_provider",
        forces=[force], email="care@example.org")


@pytest.fixture
def make_place(call_handler, now):
    def make(name, kind="street_or_park", **more):
        return place_create(actor=call_handler, now=now,
                            details=PlaceDetails(kind=kind, name=name, **more))
    return make


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ",
                                                     response.content.decode())))


def test_a_place_is_recorded_with_a_standard_postcode_and_coordinates(make_place, force):
    place = make_place("Plymouth bus station", kind="transport_hub",
                       address="Bretonside, Plymouth", postcode="pl48aa",
                       latitude="50.37153", longitude="-4.13805")
    assert place.force == force and place.postcode == "PL4 8AA"
    assert place.latitude == Decimal("50.37153") and place.has_coordinates


@pytest.mark.parametrize("more, field, message", [
    (dict(name=" "), "name", "Enter the place's name"),
    (dict(kind="castle"), "kind", "Choose what kind of place this is"),
    (dict(postcode="XX1 1XX"), "postcode", "Enter a full UK postcode"),
    (dict(postcode="PL4"), "postcode", "Enter a full UK postcode"),
    (dict(latitude="50.1"), "longitude", "Enter both latitude and longitude, or neither"),
    (dict(latitude="-4.1", longitude="50.3"), "latitude", "Latitude must be between"),
    (dict(latitude="north", longitude="-4"), "latitude", "Latitude must be a number"),
    (dict(registration_number="SC123456"), "provider", "Only a children's home"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(call_handler, now,
                                                                       more, field, message):
    values = {"kind": "street_or_park", "name": "The skate park", **more}
    with pytest.raises(PlaceInvalid) as refused:
        place_create(actor=call_handler, now=now, details=PlaceDetails(**values))
    assert refused.value.field == field and message in refused.value.message
    assert not Place.objects.exists()


def test_a_childrens_home_has_its_provider_only_if_it_works_with_the_force(
        call_handler, now, provider, other_force, coordinator):
    home = place_create(actor=call_handler, now=now, details=PlaceDetails(
        kind="childrens_home", name="Oakfield House", provider_id=provider.pk,
        registration_number="sc123456"))
    assert home.provider == provider and home.registration_number == "SC123456"
    elsewhere = partner_services.organisation_create(
        actor=coordinator, now=now, name="Elsewhere Homes", kind="care_provider",
        forces=[other_force], email="else@example.org")
    with pytest.raises(PlaceInvalid, match="works with this force"):
        place_create(actor=call_handler, now=now, details=PlaceDetails(
            kind="childrens_home", name="Beech Lodge", provider_id=elsewhere.pk))


def test_a_few_keystrokes_find_a_place_in_the_force_only(make_place, call_handler, outsider,
                                                         now):
    make_place("Plymouth bus station", kind="transport_hub", postcode="PL4 8AA")
    make_place("Drake Circus shopping centre", kind="shop_or_leisure", address="Plymouth")
    make_place("Central Park", address="Plymouth")
    assert [p.name for p in place_search(user=call_handler, text="plym bus")] == [
        "Plymouth bus station"]
    assert [p.name for p in place_search(user=call_handler, text="pl4")] == [
        "Plymouth bus station"]
    assert [p.name for p in place_search(user=call_handler, text="plymouth")][0] == (
        "Plymouth bus station")  # names starting with the text first
    assert place_search(user=outsider, text="plymouth") == []


def test_search_as_you_type_answers_a_fragment_and_works_without_javascript(
        client, make_place, call_handler):
    make_place("Plymouth bus station", kind="transport_hub")
    make_place("Central Park")
    client.force_login(call_handler)
    url = reverse("places:index")
    fragment = client.get(url, {"q": "bus"}, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode()
    assert "Plymouth bus station" in text_of(fragment) and "Central Park" not in text_of(
        fragment)
    page = client.get(url, {"q": "bus"})
    assert "<html" in page.content.decode() and "Plymouth bus station" in text_of(page)
    none = client.get(url, {"q": "zzz"})
    assert "No place matches “zzz”" in text_of(none) and "Record it as a new place" in (
        text_of(none))


def test_the_record_page_shows_one_error_summary_and_goes_back_where_it_came_from(
        client, call_handler):
    client.force_login(call_handler)
    url = reverse("places:create")
    refused = client.post(url, {"kind": "", "name": "", "postcode": "nonsense"})
    text = text_of(refused)
    assert refused.status_code == 200 and text.count("There is a problem") == 1
    assert "Choose what kind of place this is" in text and "Enter the place's name" in text
    assert not Place.objects.exists()
    back = reverse("episodes:report")
    done = client.post(f"{url}?next={back}", {"kind": "school", "name": "Hilltop Academy",
                                              "postcode": "ex1 1aa", "next": back})
    place = Place.objects.get()
    assert done.status_code == 302 and done["Location"] == f"{back}?place={place.pk}"
    assert place.postcode == "EX1 1AA"
    outside = client.post(url, {"kind": "school", "name": "Elsewhere",
                                "next": "https://example.com/"})
    assert outside["Location"] == reverse("places:detail", args=[
        Place.objects.get(name="Elsewhere").pk])


def test_only_case_workers_use_places(client, force, make_user, make_place, outsider):
    place = make_place("Central Park")
    analyst = make_user(force=force, roles=["analyst"])
    client.force_login(analyst)
    assert client.get(reverse("places:index")).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("places:detail", args=[place.pk])).status_code == 404


def test_a_correction_needs_a_supervisor_and_a_reason_kept_in_history(
        make_place, call_handler, sergeant, now, client):
    place = make_place("Centrl Park")
    details = PlaceDetails(kind="street_or_park", name="Central Park", postcode="PL1 1AA")
    with pytest.raises(PermissionDenied):
        place_update(actor=call_handler, now=now, place=place, details=details, reason="typo")
    with pytest.raises(PlaceInvalid, match="Say why"):
        place_update(actor=sergeant, now=now, place=place, details=details, reason=" ")
    place_update(actor=sergeant, now=now, place=place, details=details,
                 reason="Name misspelt")
    place.refresh_from_db()
    assert place.name == "Central Park"
    assert place.history.first().history_change_reason == "Name misspelt"
    client.force_login(call_handler)
    assert client.get(reverse("places:edit", args=[place.pk])).status_code == 403


def test_merging_moves_every_episode_and_hides_the_duplicate(
        make_place, episode, sergeant, call_handler, now, client):
    keep = make_place("Plymouth bus station", kind="transport_hub")
    duplicate = make_place("Bretonside bus stn", kind="transport_hub")
    Episode.objects.filter(pk=episode.pk).update(missing_from_place=duplicate,
                                                 last_seen_place=duplicate)
    client.force_login(sergeant)
    url = reverse("places:merge", args=[keep.pk])
    refused = client.post(url, {"duplicate": str(duplicate.pk), "reason": ""})
    assert refused.status_code == 400 and "Say why these are the same place" in text_of(
        refused)
    done = client.post(url, {"duplicate": str(duplicate.pk), "reason": "Same bus station"})
    assert done.status_code == 302
    episode.refresh_from_db()
    assert episode.missing_from_place == keep and episode.last_seen_place == keep
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    assert [p.name for p in place_search(user=call_handler, text="bus")] == [
        "Plymouth bus station"]
    page = client.get(reverse("places:detail", args=[keep.pk]))
    assert "Went missing from here: 1" in text_of(page)
    merged = client.get(reverse("places:detail", args=[duplicate.pk]))
    assert "This place was merged into" in text_of(merged)
    with pytest.raises(PlaceInvalid, match="merged already"):
        place_merge(actor=sergeant, now=now, keep=keep, duplicate=duplicate, reason="again")

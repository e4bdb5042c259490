"""Places at intake (issue 11): the report names the place missing from and the place last
seen by a few letters, asks which one when several match, records a new one with the report,
and writes nothing when the report is refused."""

import html
import re

import pytest
from django.urls import reverse

from mispers.casework.children import child_create
from mispers.episodes.models import Episode
from mispers.places.details import PlaceDetails
from mispers.places.models import Place
from mispers.places.services import place_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(call_handler, now, force, child_details):
    return child_create(actor=call_handler, now=now, force=force,
                        details=child_details(given_name="Maya", family_name="Placeholder"))


@pytest.fixture
def place(call_handler, now):
    def make(name, kind="street_or_park", **more):
        return place_create(actor=call_handler, now=now,
                            details=PlaceDetails(kind=kind, name=name, **more))
    return make


def report(child, **more):
    return {"child": str(child.pk), "report-reported_at": "2026-03-14T10:00",
            "report-reported_by_name": "A Carer", "report-last_seen_at": "2026-03-14T07:30",
            "report-last_seen_where": "By the bus shelter", "report-missing_from": "care",
            **more}


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ",
                                                     response.content.decode())))


def test_places_typed_exactly_are_chosen(client, call_handler, child, place):
    home = place("Oakfield House", kind="childrens_home", postcode="PL4 8AA")
    station = place("Plymouth bus station", kind="transport_hub")
    client.force_login(call_handler)
    done = client.post(reverse("episodes:report"), report(
        child, **{"from-text": "oakfield house, pl4 8aa", "seen-text": "Plymouth bus station"}))
    assert done.status_code == 302
    episode = Episode.objects.get(child=child)
    assert episode.missing_from_place == home and episode.last_seen_place == station
    assert episode.last_seen_where == "By the bus shelter"  # the note stays


def test_several_matches_ask_which_one_and_nothing_is_saved_until_chosen(
        client, call_handler, child, place):
    place("Central Park", address="Plymouth")
    keep = place("Central Park skate area", address="Plymouth")
    client.force_login(call_handler)
    url = reverse("episodes:report")
    asked = client.post(url, report(child, **{"seen-text": "central park s"}))
    text = text_of(asked)
    assert asked.status_code == 200 and text.count("There is a problem") == 1
    assert "Choose which place you mean by “central park s”" in text
    assert "Central Park skate area" in text and "Record “central park s” as a new place" in text
    assert not Episode.objects.exists()
    chosen = client.post(url, report(child, **{"seen-text": "central park s",
                                               "seen-choice": str(keep.pk)}))
    assert chosen.status_code == 302
    assert Episode.objects.get(child=child).last_seen_place == keep


def test_a_new_place_is_recorded_with_the_report_and_not_without_it(client, call_handler,
                                                                    child):
    client.force_login(call_handler)
    url = reverse("episodes:report")
    unknown = client.post(url, report(child, **{"seen-text": "Tinside Lido"}))
    assert "No place called “Tinside Lido” is on record" in text_of(unknown)
    no_kind = client.post(url, report(child, **{"seen-text": "Tinside Lido",
                                                "seen-choice": "new"}))
    assert "Choose what kind of place “Tinside Lido” is" in text_of(no_kind)
    # The report itself refused (no reporter): the new place is not left behind either.
    refused = client.post(url, report(child, **{"seen-text": "Tinside Lido",
                                                "seen-choice": "new",
                                                "seen-new_kind": "shop_or_leisure",
                                                "report-last_seen_at": "2026-03-14T11:30"}))
    assert refused.status_code == 200
    assert not Place.objects.exists() and not Episode.objects.exists()
    done = client.post(url, report(child, **{"seen-text": "Tinside Lido",
                                             "seen-choice": "new",
                                             "seen-new_kind": "shop_or_leisure"}))
    assert done.status_code == 302
    lido = Place.objects.get()
    assert (lido.name, lido.kind) == ("Tinside Lido", "shop_or_leisure")
    assert Episode.objects.get(child=child).last_seen_place == lido


def test_another_forces_place_cannot_be_chosen(client, call_handler, child, outsider, now):
    theirs = place_create(actor=outsider, now=now, details=PlaceDetails(
        kind="transport_hub", name="Their station"))
    client.force_login(call_handler)
    refused = client.post(reverse("episodes:report"), report(
        child, **{"seen-text": "Their station", "seen-choice": str(theirs.pk)}))
    assert "That place is no longer on record" in text_of(refused)
    assert not Episode.objects.exists()


def test_suggestions_as_you_type(client, call_handler, place):
    place("Plymouth bus station", kind="transport_hub", postcode="PL4 8AA")
    place("Central Park")
    client.force_login(call_handler)
    found = client.get(reverse("places:suggest"), {"prefix": "seen", "seen-text": "plym"},
                       HTTP_HX_REQUEST="true").content.decode()
    assert '<option value="Plymouth bus station, PL4 8AA">' in found
    assert "Central Park" not in found


def test_the_return_names_the_place_found_or_records_a_new_one(client, episode, officer, now,
                                                              place):
    import datetime as dt

    import time_machine

    from mispers.casework.grade import assessment_record
    from mispers.returns.models import FoundRecord
    from mispers.risk import policy as risk_policy
    from mispers.risk.services import AnswerInput

    assessment_record(actor=officer, now=now, episode=episode, chosen_grade="medium",
                      answers={code: AnswerInput(answer="unknown")
                               for code in risk_policy.FACTORS})
    episode.refresh_from_db()
    place("Plymouth bus station", kind="transport_hub")
    client.force_login(officer)
    url = reverse("returns:found", args=[episode.pk])
    data = {"found_at": "2026-03-14T16:00", "found_where": "Asleep on a bench",
            "found_by": "police", "condition": "safe_and_well",
            "expected_version": episode.version}
    with time_machine.travel(now + dt.timedelta(hours=2), tick=False):
        unknown = client.post(url, {**data, "found-text": "Hoe Park"})
        assert "No place called “Hoe Park” is on record" in text_of(unknown)
        assert text_of(unknown).count("There is a problem") == 1
        assert not FoundRecord.objects.exists()
        done = client.post(url, {**data, "found-text": "Hoe Park", "found-choice": "new",
                                 "found-new_kind": "street_or_park"})
    assert done.status_code == 302
    record = FoundRecord.objects.get()
    assert record.found_place.name == "Hoe Park" and record.found_where == "Asleep on a bench"


def test_the_childs_pattern_counts_a_recorded_place_as_one_place(call_handler, child, place,
                                                                 now, report_details):
    from mispers.casework.report import episode_report
    from mispers.repeats.selectors import child_pattern

    station = place("Plymouth bus station", kind="transport_hub")
    for note in ("bus stn", "Bretonside buses"):
        episode = episode_report(actor=call_handler, now=now, child=child,
                                 details=report_details(last_seen_where=note,
                                                        last_seen_place=station))
        Episode.objects.filter(pk=episode.pk).update(state=Episode.State.CLOSED)
    episode_report(actor=call_handler, now=now, child=child,
                   details=report_details(last_seen_where="The Hoe"))
    pattern = child_pattern(child=child, now=now)
    assert pattern.last_seen_places[0] == ("Plymouth bus station", 2)
    assert ("The Hoe", 1) in pattern.last_seen_places


def test_the_repeat_list_by_place_and_each_childs_most_frequent_place(
        client, call_handler, child, place, now, report_details, force, child_details):
    from mispers.casework.children import child_create
    from mispers.casework.report import episode_report

    home = place("Oakfield House", kind="childrens_home")
    other = child_create(actor=call_handler, now=now, force=force,
                         details=child_details(given_name="Other", family_name="Repeater"))
    for who, where in ((child, home), (child, home), (other, None), (other, None)):
        episode = episode_report(actor=call_handler, now=now, child=who,
                                 details=report_details(missing_from_place=where))
        Episode.objects.filter(pk=episode.pk).update(state=Episode.State.CLOSED)
    client.force_login(call_handler)
    everyone = text_of(client.get(reverse("repeats:list")))
    assert "Maya Placeholder" in everyone and "Other Repeater" in everyone
    assert "Oakfield House (2)" in everyone
    at_home = client.get(reverse("repeats:list"), {"place": str(home.pk)})
    text = text_of(at_home)
    assert "who went missing from or were found at Oakfield House" in text
    assert "Maya Placeholder" in text and "Other Repeater" not in text
    assert client.get(reverse("repeats:list"), {"place": "nonsense"}).status_code == 404

"""Recording a search: saved with its timeline event while the child is missing; refused with a
clear error, and nothing saved, for a found, closed or withdrawn episode, another force's
episode, a role that may not, or bad input."""

import datetime as dt

import pytest

from mispers.casework.found import return_record
from mispers.core.errors import NotFound, PermissionDenied
from mispers.episodes.models import TimelineEvent
from mispers.searches.models import Search
from mispers.searches.services import SearchInvalid, search_record

pytestmark = pytest.mark.django_db


def _record(actor, now, episode, **overrides):
    values = dict(searched_at=now - dt.timedelta(minutes=10), result="not_found",
                  place_note="Behind the library", who="PC 123 Smith")
    values.update(overrides)
    return search_record(actor=actor, now=now, episode=episode, **values)


def test_a_search_is_recorded_with_its_timeline_event(scene, officer, now):
    child, places, episode = scene
    search = _record(officer, now, episode, place=places.skate, place_note="",
                     suggestion_rank=1, suggestion_reason="Found here 2 times before")
    assert search.place == places.skate and search.suggestion_rank == 1
    event = TimelineEvent.objects.get(episode=episode, code="search_recorded")
    assert event.summary == "Search recorded (suggestion 1): not found there"
    assert "skate" not in event.summary  # the place may be intelligence: not on the timeline
    assert event.title == "Search recorded"
    assert search.history.count() == 1


def test_a_found_episode_is_refused_and_nothing_saved(scene, officer, now):
    child, places, episode = scene
    return_record(actor=officer, now=now, episode=episode, found_at=now - dt.timedelta(minutes=5),
                  found_where="Home", found_by="police", condition="safe_and_well")
    with pytest.raises(SearchInvalid, match="has been found"):
        _record(officer, now, episode)
    assert not Search.objects.exists()
    assert not TimelineEvent.objects.filter(code="search_recorded").exists()


def test_a_withdrawn_episode_is_refused(scene, officer, inspector, now):
    from mispers.casework.withdraw import episode_withdraw

    child, places, episode = scene
    episode_withdraw(actor=inspector, now=now, episode=episode, reason="Made in error")
    with pytest.raises(SearchInvalid, match="withdrawn"):
        _record(officer, now, episode)
    assert not Search.objects.exists()


def test_another_forces_officer_is_not_told_the_episode_exists(scene, outsider, now):
    child, places, episode = scene
    with pytest.raises(NotFound):
        _record(outsider, now, episode)
    assert not Search.objects.exists()


def test_roles_that_may_not_are_refused(scene, force, make_user, now):
    child, places, episode = scene
    analyst = make_user(force=force, roles=["analyst"])
    with pytest.raises(PermissionDenied):
        _record(analyst, now, episode)
    assert not Search.objects.exists()


@pytest.mark.parametrize("overrides, message", [
    ({"place_note": "  "}, "Say where was searched"),
    ({"result": "maybe"}, "Choose what the search found"),
    ({"searched_at": "future"}, "cannot be in the future"),
    ({"searched_at": "before"}, "before the child was last seen"),
    ({"suggestion_rank": 0}, "rank is between 1 and 50"),
])
def test_bad_input_is_refused_and_nothing_saved(scene, officer, now, overrides, message):
    child, places, episode = scene
    if overrides.get("searched_at") == "future":
        overrides["searched_at"] = now + dt.timedelta(minutes=5)
    elif overrides.get("searched_at") == "before":
        overrides["searched_at"] = episode.last_seen_at - dt.timedelta(minutes=5)
    with pytest.raises(SearchInvalid, match=message):
        _record(officer, now, episode, **overrides)
    assert not Search.objects.exists()


def test_another_forces_place_is_refused(scene, officer, outsider, now):
    from mispers.searches.tests.builders import place

    child, places, episode = scene
    theirs = place(actor=outsider, now=now, kind="street_or_park", name="Sefton Park")
    with pytest.raises(SearchInvalid, match="Place not found"):
        _record(officer, now, episode, place=theirs, place_note="")
    assert not Search.objects.exists()

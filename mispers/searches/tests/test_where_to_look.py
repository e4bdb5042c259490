"""The ranking: the child's own found places by recency and frequency, home, where last seen,
associates' places, base rates nearby with distance rings; a place searched without finding the
child moves down; each suggestion says how often it was right for this child before."""

import datetime as dt

import pytest

from mispers.intelligence.services import link_create
from mispers.intelligence.tests.builders import linked_associate
from mispers.searches import where_to_look as wtl
from mispers.searches.selectors import where_to_look_for
from mispers.searches.services import search_record

from .builders import missing_and_found, place

pytestmark = pytest.mark.django_db


def _names(result, n=10):
    return [s.place.name for s in result.suggestions[:n]]


def test_the_childs_own_found_places_come_first_with_how_often_they_were_right(
        scene, officer, now):
    child, places, episode = scene
    result = where_to_look_for(user=officer, episode=episode, now=now).result
    assert _names(result, 3) == ["Central skate park", "Flat 3, Dock Street", "14 Example Road"]
    skate, flat, home = result.suggestions[:3]
    assert skate.right_text == "Right for this child before: 2 of 3 times"
    assert flat.right_text == "Right for this child before: 1 of 3 times"
    assert home.right_text == "Right for this child before: 0 of 3 times"
    assert "Found here 2 times before, last on 2 Feb 2026" in skate.reasons
    assert "Home: where the child went missing from" in home.reasons
    assert skate.distance_km == pytest.approx(1.1, abs=0.2) and skate.ring == "within 3 km"
    # Where last seen, and a cafe near it by the base rates, are on the list too.
    names = _names(result)
    assert "Bretonside bus station" in names and "Harbour cafe" in names
    cafe = result.suggestions[names.index("Harbour cafe")]
    assert cafe.reasons == ["Base rate: 11% of children aged 12 to 14 are found at shops or "
                            "leisure"]
    assert cafe.ring == "within 3 km"
    # The aunt's house, 20 km away and never on a report, is not offered.
    assert "Aunt's house, Tavistock" not in names
    assert [k.category for k in result.kinds][:3] == ["home", "friend", "street"]
    street = next(k for k in result.kinds if k.category == "street")
    assert (street.right_before, street.returns_before) == (2, 3)


def test_a_place_searched_without_finding_the_child_moves_down(scene, officer, now):
    child, places, episode = scene
    search_record(actor=officer, now=now, episode=episode, place=places.skate,
                  searched_at=now - dt.timedelta(minutes=5), result="not_found", who="PC 1")
    result = where_to_look_for(user=officer, episode=episode, now=now).result
    assert _names(result, 3) == ["Flat 3, Dock Street", "14 Example Road", "Central skate park"]
    assert [s.result for s in result.suggestions[2].searches] == ["not_found"]


def test_information_obtained_does_not_move_a_place_down(scene, officer, now):
    child, places, episode = scene
    search_record(actor=officer, now=now, episode=episode, place=places.skate,
                  searched_at=now - dt.timedelta(minutes=5), result="information")
    result = where_to_look_for(user=officer, episode=episode, now=now).result
    assert _names(result, 1) == ["Central skate park"]


def test_places_where_an_associates_other_children_were_found(scene, force, officer, now,
                                                               child_details):
    from mispers.casework.children import child_create

    child, places, episode = scene
    jay = linked_associate(actor=officer, now=now - dt.timedelta(days=200), child=child)
    other = child_create(actor=officer, now=now, force=force, details=child_details(
        given_name="Rae", family_name="Otherchild"))
    link_create(actor=officer, now=now, child=other, entity=jay, kind="seen_with",
                occurred_on=(now - dt.timedelta(days=30)).date(), source="enquiry_log",
                source_evaluation="B", information_assessment="3")
    union = place(actor=officer, now=now, kind="associate_address",
                  name="Flat 9, Union Street", at=(50.3700, -4.1500))
    for days in (90, 20):
        missing_and_found(actor=officer, now=now - dt.timedelta(days=days), child=other,
                          found_place=union)
    found = where_to_look_for(user=officer, episode=episode, now=now)
    names = _names(found.result)
    suggestion = found.result.suggestions[names.index("Flat 9, Union Street")]
    assert suggestion.reasons == ["Children linked to Jay Testassociate (suspected exploiter) "
                                  "were found here 2 times"]
    assert suggestion.right_text == "Right for this child before: 0 of 3 times"
    assert found.entity_ids == [jay.pk]  # the page logs the associate it names
    # The other child is never named.
    assert "Rae" not in " ".join(" ".join(s.reasons) for s in found.result.suggestions)


def test_only_earlier_history_counts(scene, officer, now):
    """As of a moment before the last two returns, only the first is history."""
    child, places, episode = scene
    inputs_now = where_to_look_for(user=officer, episode=episode, now=now).inputs
    assert len(inputs_now.returns) == 3
    from mispers.searches.selectors import gather

    earlier, _ = gather(episode=episode, as_of=now - dt.timedelta(days=100))
    assert len(earlier.returns) == 2


def test_another_forces_officer_gets_nothing(scene, outsider, now):
    from mispers.core.errors import NotFound

    child, places, episode = scene
    with pytest.raises(NotFound):
        where_to_look_for(user=outsider, episode=episode, now=now)


# --- the pure ranking -------------------------------------------------------------------------

NOW = dt.datetime(2026, 3, 14, 15, 0, tzinfo=dt.UTC)


def _place(pid, kind, at=None):
    lat, lon = at or (None, None)
    return wtl.PlaceFact(id=pid, name=f"P{pid}", kind=kind, latitude=lat, longitude=lon)


def test_recent_returns_count_more_than_old_ones():
    places = {1: _place(1, "street_or_park"), 2: _place(2, "street_or_park")}
    inputs = wtl.Inputs(as_of=NOW, age=13, places=places, returns=(
        wtl.EarlierReturn(at=NOW - dt.timedelta(days=700), place_id=1),
        wtl.EarlierReturn(at=NOW - dt.timedelta(days=690), place_id=1),
        wtl.EarlierReturn(at=NOW - dt.timedelta(days=10), place_id=2)))
    assert wtl.rank(inputs).top(2) == [2, 1]


def test_without_coordinates_there_are_no_distances_and_no_nearby_places():
    places = {1: _place(1, "home"), 2: _place(2, "street_or_park")}
    inputs = wtl.Inputs(as_of=NOW, age=16, places=places,
                        leads=(wtl.Lead(place_id=1, source="home", reason="Home"),),
                        home_ids=frozenset({1}), nearby_ids=(2,))
    result = wtl.rank(inputs)
    assert result.top() == [1]
    assert result.suggestions[0].distance_km is None
    assert result.population.endswith("(the published figures; used for all ages)")


def test_distance_rings_share_the_base_rate_of_nearby_places():
    seen = _place(0, "transport_hub", (50.0, -4.0))
    near = _place(1, "street_or_park", (50.01, -4.0))  # about 1 km
    far = _place(2, "street_or_park", (50.10, -4.0))  # about 11 km
    beyond = _place(3, "street_or_park", (50.17, -4.0))  # about 19 km: out of reach
    inputs = wtl.Inputs(as_of=NOW, age=13, places={0: seen, 1: near, 2: far, 3: beyond},
                        last_seen_id=0, nearby_ids=(1, 2, 3))
    result = wtl.rank(inputs)
    assert result.top() == [1, 2]
    assert [s.ring for s in result.suggestions] == ["within 3 km", "3 to 18 km"]


def test_the_baseline_ignores_the_childs_history():
    places = {1: _place(1, "home"), 2: _place(2, "associate_address")}
    inputs = wtl.Inputs(as_of=NOW, age=13, places=places, home_ids=frozenset({1}),
                        leads=(wtl.Lead(place_id=1, source="home", reason="Home"),),
                        returns=tuple(wtl.EarlierReturn(at=NOW - dt.timedelta(days=d),
                                                        place_id=2) for d in (5, 50, 90)))
    assert wtl.rank(inputs).top(1) == [2]
    assert wtl.baseline(inputs).top() == [1]


def test_the_number_of_queries_does_not_grow_with_history(scene, officer, now,
                                                          django_assert_max_num_queries):
    """Gathering is a fixed number of queries however many returns the child has had."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    child, places, episode = scene
    with CaptureQueriesContext(connection) as few:
        where_to_look_for(user=officer, episode=episode, now=now)
    for days in range(200, 230, 3):
        missing_and_found(actor=officer, now=now - dt.timedelta(days=days), child=child,
                          found_place=places.cafe, missing_from_place=places.home)
    with django_assert_max_num_queries(len(few.captured_queries)):
        result = where_to_look_for(user=officer, episode=episode, now=now).result
    assert result.returns_before == 13

"""The demo uses places (issue 11): the force's places across its area, episodes that name where
the child went missing from, was last seen and was found, and looked-after children whose
placement and local authority agree with the partners responsible for them."""

import datetime as dt
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction

from mispers.accounts.models import Force
from mispers.accounts.services import forces_load
from mispers.episodes.models import Episode
from mispers.partners.models import Responsibility
from mispers.people.models import Child
from mispers.places.details import LATITUDE, LONGITUDE, postcode_standard
from mispers.places.models import Place, PlaceKind
from mispers.risk.services import policy_for_force
from mispers.synth.areas import AREAS
from mispers.synth.demo import demo_users_ensure
from mispers.synth.generator import generate_force, synthetic_places
from mispers.synth.partners import (
    DEMO_ORGANISATIONS,
    demo_organisations_ensure,
    demo_partners_ensure,
    demo_providers,
)
from mispers.synth.plan import Planner

UNTIL = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
FORCE = "devon-and-cornwall"
SOUTH, NORTH, WEST, EAST = AREAS[FORCE].bounds
DEMO_AREAS = {"EX", "PL", "TQ", "TR"}  # the postcode areas of Devon and Cornwall
FORCE_KINDS = {PlaceKind.CHILDRENS_HOME, PlaceKind.FOSTER_PLACEMENT, PlaceKind.SCHOOL,
               PlaceKind.STREET_OR_PARK, PlaceKind.SHOP_OR_LEISURE, PlaceKind.TRANSPORT_HUB,
               PlaceKind.HOTEL, PlaceKind.HOSPITAL, PlaceKind.POLICE_STATION,
               PlaceKind.ASSOCIATE}


def _plan(*, seed: int, children: int, episodes: int, force_code: str = FORCE,
          force_name: str = "Devon and Cornwall Police"):
    return Planner(seed=seed, force_code=force_code, force_name=force_name, children=children,
                   episodes=episodes, until=UNTIL, open_recent=5,
                   policy=policy_for_force(Force(code=FORCE))).plan()


def _in_the_area(latitude, longitude) -> bool:
    return (SOUTH <= float(latitude) <= NORTH and WEST <= float(longitude) <= EAST
            and LATITUDE[0] <= Decimal(str(latitude)) <= LATITUDE[1]
            and LONGITUDE[0] <= Decimal(str(longitude)) <= LONGITUDE[1])


# --- the plan: pure, no database -----------------------------------------------------------

@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_planned_place_is_in_the_area_with_a_valid_postcode(seed):
    plan = _plan(seed=seed, children=80, episodes=200)
    assert {p.kind for p in plan.places if p.shared} == FORCE_KINDS
    for place in plan.places:
        assert _in_the_area(place.latitude, place.longitude), place
        assert postcode_standard(place.postcode) == place.postcode, place
        assert re.match(r"[A-Z]+", place.postcode)[0] in DEMO_AREAS, place
        assert place.name and place.address.endswith(place.town)


def test_the_places_plan_is_deterministic_and_leaves_the_rest_of_the_plan_alone():
    first, again = _plan(seed=4, children=30, episodes=80), _plan(seed=4, children=30,
                                                                   episodes=80)
    assert first.places == again.places
    assert ([(e.missing_from_place, e.last_seen_place, e.found_away) for e in first.episodes]
            == [(e.missing_from_place, e.last_seen_place, e.found_away)
                for e in again.episodes])
    other = _plan(seed=5, children=30, episodes=80)
    assert [p.postcode for p in other.places] != [p.postcode for p in first.places]


def test_a_force_with_no_map_gets_places_without_coordinates_or_postcodes():
    plan = _plan(seed=1, children=20, episodes=50, force_code="avon-and-somerset",
                 force_name="Avon and Somerset Constabulary")
    assert {p.kind for p in plan.places if p.shared} >= {PlaceKind.CHILDRENS_HOME,
                                                         PlaceKind.TRANSPORT_HUB}
    assert all(p.latitude is None and p.postcode == "" for p in plan.places)
    assert sum(e.missing_from_place is not None for e in plan.episodes) > 25


# --- the demo's history, written through the services ---------------------------------------

@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """A small demo history with the demo's partners, measured and rolled back. (The tests
    using it are marked django_db: pytest-django sets up the test database only when some
    test is.)"""
    with django_db_blocker.unblock(), transaction.atomic():
        forces_load()
        force = Force.objects.get(code=FORCE)
        demo_users_ensure(force=force)
        organisations = demo_organisations_ensure(force=force, now=UNTIL - dt.timedelta(days=800))
        generate_force(force=force, seed=1, children=50, episodes=150, until=UNTIL,
                       open_recent=5, providers=demo_providers(organisations))
        demo_partners_ensure(force=force, now=UNTIL)
        today = UNTIL.date()
        children = list(Child.objects.filter(force=force, looked_after=True)
                        .select_related("placement__provider"))
        responsibilities = [r for r in Responsibility.objects.select_related("organisation")
                            if r.covers(today)]
        episodes = list(Episode.objects.filter(force=force).select_related(
            "child__placement", "missing_from_place", "last_seen_place", "found__found_place"))
        measured = {
            "providers": [o.pk for o in demo_providers(organisations)],
            "places": list(Place.objects.filter(force=force).select_related("provider")),
            "synthetic": synthetic_places(force).count(),
            "looked_after": {c.pk: c for c in children},
            "responsibilities": responsibilities,
            "episodes": [(e, getattr(e, "found", None)) for e in episodes],
        }
        transaction.set_rollback(True)
    return measured


@pytest.mark.django_db
def test_the_demo_force_has_places_of_every_kind_across_its_area(demo):
    places = demo["places"]
    assert demo["synthetic"] == len(places)  # all recorded by the generator's staff
    assert {p.kind for p in places} >= FORCE_KINDS | {PlaceKind.HOME}
    for place in places:
        assert place.has_coordinates and _in_the_area(place.latitude, place.longitude), place
        assert postcode_standard(place.postcode) == place.postcode
        assert re.match(r"[A-Z]+", place.postcode)[0] in DEMO_AREAS
    # Spread over the area (Penzance to Exeter, the south coast to Barnstaple), not one town.
    latitudes = [float(p.latitude) for p in places]
    longitudes = [float(p.longitude) for p in places]
    assert max(latitudes) - min(latitudes) > 0.8
    assert max(longitudes) - min(longitudes) > 2.0
    assert len({p.postcode.split()[0] for p in places}) >= 15


@pytest.mark.django_db
def test_childrens_homes_are_run_by_the_demo_care_providers(demo):
    homes = [p for p in demo["places"] if p.kind == PlaceKind.CHILDRENS_HOME]
    assert len(homes) >= 6
    assert {h.provider_id for h in homes} == set(demo["providers"])
    for home in homes:
        assert re.fullmatch(r"SC\d{6}", home.registration_number)
    assert all(p.provider_id is None for p in demo["places"]
               if p.kind != PlaceKind.CHILDRENS_HOME)


@pytest.mark.django_db
def test_looked_after_children_agree_with_the_partners_responsible_for_them(demo):
    children = demo["looked_after"]
    assert len(children) >= 8
    for child in children.values():
        placement = child.placement
        assert placement is not None and placement.kind in {PlaceKind.CHILDRENS_HOME,
                                                            PlaceKind.FOSTER_PLACEMENT}
        assert child.placement_address == f"{placement.address}, {placement.postcode}"
        assert child.local_authority
    kinds = Counter()
    for responsibility in demo["responsibilities"]:
        child = children[responsibility.child_id]
        kinds[responsibility.kind] += 1
        if responsibility.kind == Responsibility.Kind.HOME:
            assert child.placement.provider_id == responsibility.organisation_id
        if responsibility.kind == Responsibility.Kind.PLACING_AUTHORITY:
            assert child.local_authority == responsibility.organisation.name
    # Not vacuous: the home and the council are each responsible for some children.
    assert kinds[Responsibility.Kind.HOME] >= 1
    assert kinds[Responsibility.Kind.PLACING_AUTHORITY] >= 1
    council = next(name for key, name, _kind in DEMO_ORGANISATIONS if key == "council")
    assert council in {c.local_authority for c in children.values()}


@pytest.mark.django_db
def test_episodes_name_where_the_child_went_missing_from_was_seen_and_was_found(demo):
    episodes = demo["episodes"]
    total = len(episodes)
    assert sum(e.missing_from_place_id is not None for e, _ in episodes) / total > 0.8
    assert sum(e.last_seen_place_id is not None for e, _ in episodes) / total > 0.6
    found = [f for _, f in episodes if f is not None]
    assert sum(f.found_place_id is not None for f in found) / len(found) > 0.5
    for episode, record in episodes:
        if episode.missing_from == "care":  # a looked-after child's placement
            assert episode.missing_from_place == episode.child.placement
        if episode.missing_from == "home":
            assert episode.missing_from_place.kind == PlaceKind.HOME
            assert episode.missing_from_place.address == episode.child.home_address
        if episode.last_seen_place is not None:  # the note names the place
            assert episode.last_seen_where.startswith(episode.last_seen_place.name)
        if record is not None and record.found_place is not None:
            if record.found_where == "Returned to the placement":
                assert record.found_place == episode.child.placement
            elif record.found_where == "Returned home":
                assert record.found_place.kind == PlaceKind.HOME
                assert record.found_place.address == episode.child.home_address
            else:
                assert record.found_where.startswith(record.found_place.name)


def _named(episode, record) -> set:
    return {episode.missing_from_place_id, episode.last_seen_place_id,
            record.found_place_id if record else None} - {None}


@pytest.mark.django_db
def test_a_few_places_account_for_many_episodes(demo):
    """Where children go missing from and are found is concentrated: the busiest few places
    (children's homes, a bus station, a skate park, an associate's flat) are named in many
    episodes, as in a real force."""
    episodes = demo["episodes"]
    named = Counter()
    for episode, record in episodes:
        named.update(_named(episode, record))
    top = {key for key, _count in named.most_common(5)}
    touched = sum(1 for episode, record in episodes if _named(episode, record) & top)
    assert touched / len(episodes) > 0.3
    assert named.most_common(1)[0][1] / len(episodes) > 0.08
    kinds = {p.pk: p.kind for p in demo["places"]}
    away = {PlaceKind.TRANSPORT_HUB, PlaceKind.STREET_OR_PARK, PlaceKind.ASSOCIATE}
    assert {kinds[key] for key in top} & away


@pytest.mark.django_db
def test_repeat_children_keep_going_back_to_the_same_places(demo):
    """Most episodes of a child missing three times or more find them last seen or found at a
    place named in another of their episodes (by chance it would be a third at most)."""
    by_child = {}
    for episode, record in demo["episodes"]:
        by_child.setdefault(episode.child_id, []).append(
            {episode.last_seen_place_id, record.found_place_id if record else None} - {None})
    again = total = 0
    for places in by_child.values():
        if len(places) < 3:
            continue
        for number, here in enumerate(places):
            elsewhere = set().union(*(p for n, p in enumerate(places) if n != number))
            total += 1
            again += bool(here & elsewhere)
    assert total >= 40
    assert again / total > 0.7

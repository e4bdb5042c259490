"""Exploitation hubs (ADR 50): an entity or place linked to the policy's number of different
children within its window; a place counts the children found there too."""

import datetime as dt

from mispers.casework.children import child_create
from mispers.casework.found import return_record
from mispers.intelligence.hubs import HubRule, hub_children_of, hubs_as_of
from mispers.intelligence.services import entity_create, link_create
from mispers.partners.tests.together import graded_episode
from mispers.places.details import PlaceDetails
from mispers.places.services import place_create
from mispers.risk.selectors import policy_for_force

RULE = HubRule(children=3, window_days=365)


def another_child(*, actor, now, child_details, name):
    return child_create(actor=actor, now=now, force=actor.force,
                        details=child_details(given_name=name, family_name="Hubtest"))


def seen_with(*, actor, now, child, entity, on):
    return link_create(actor=actor, now=now, child=child, entity=entity, kind="seen_with",
                       occurred_on=on, source="enquiry_log", source_evaluation="B",
                       information_assessment="3")


def test_the_national_rule_is_three_children_in_a_year(force):
    assert HubRule.of(policy_for_force(force)) == RULE


def test_an_associate_becomes_a_hub_at_the_third_child_within_the_window(scene, now,
                                                                         child_details):
    w, officer, jay = scene
    key = ("entity", jay.pk)
    second = another_child(actor=officer, now=now, child_details=child_details, name="Bea")
    seen_with(actor=officer, now=now, child=second, entity=jay, on=now.date())
    assert key not in hubs_as_of(force_id=officer.force_id, on=now.date(), rule=RULE)
    # A third child seen with him 400 days ago is outside the year: still not a hub.
    third = another_child(actor=officer, now=now, child_details=child_details, name="Cara")
    seen_with(actor=officer, now=now, child=third, entity=jay,
              on=now.date() - dt.timedelta(days=400))
    assert hub_children_of(force_id=officer.force_id, key=key, on=now.date(), rule=RULE) == set()
    # Seen with him again this month: three different children in the year.
    seen_with(actor=officer, now=now, child=third, entity=jay,
              on=now.date() - dt.timedelta(days=20))
    hubs = hubs_as_of(force_id=officer.force_id, on=now.date(), rule=RULE)
    assert hubs[key] == {w.child.pk, second.pk, third.pk}
    assert hub_children_of(force_id=officer.force_id, key=key, on=now.date(),
                           rule=RULE) == hubs[key]
    # The same child linked twice more does not make a hub of two children.
    assert ("entity", jay.pk) not in hubs_as_of(force_id=officer.force_id, on=now.date(),
                                                rule=HubRule(children=4, window_days=365))


def test_a_place_counts_children_found_there_and_linked_to_it(scene, now, child_details):
    w, officer, _ = scene
    place = place_create(actor=officer, now=now, details=PlaceDetails(
        kind="associate_address", name="Flat 3, Tamar House", postcode="PL1 2AA"))
    flat = entity_create(actor=officer, now=now, kind="place", place=place)
    key = ("place", flat.place_id)
    # Two children found at the flat, one more linked to it as intelligence.
    for name in ("Dee", "Ella"):
        child = another_child(actor=officer, now=now, child_details=child_details, name=name)
        episode = graded_episode(actor=officer, now=now - dt.timedelta(hours=3), child=child,
                                 grader=officer)
        return_record(actor=officer, now=now, episode=episode,
                      found_at=now - dt.timedelta(hours=1), found_where="the flat",
                      found_by="police", condition="safe_and_well", found_place=flat.place)
    assert hub_children_of(force_id=officer.force_id, key=key, on=now.date(), rule=RULE) == set()
    link_create(actor=officer, now=now, child=w.child, entity=flat, kind="found_at",
                occurred_on=now.date(), source="intelligence", source_evaluation="A",
                information_assessment="1")
    hubs = hubs_as_of(force_id=officer.force_id, on=now.date(), rule=RULE)
    assert len(hubs[key]) == 3
    assert hub_children_of(force_id=officer.force_id, key=key, on=now.date(),
                           rule=RULE) == hubs[key]

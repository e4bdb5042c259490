"""The demo's planted ring (issue 14): a street name linked to several girls from two children's
homes, a car, a phone and a flat; a missing girl's enquiry log names them (suggestions, nothing
linked); made once, and deleted with the rest of the synthetic data."""

import datetime as dt

import pytest

from mispers.accounts.models import Force
from mispers.accounts.services import forces_load
from mispers.intelligence.hubs import HubRule, hubs_as_of
from mispers.intelligence.models import Entity, Link, Suggestion
from mispers.places.models import Place
from mispers.risk.selectors import policy_for_force
from mispers.synth.demo import demo_users_ensure
from mispers.synth.generator import generate_force
from mispers.synth.reset import synth_reset
from mispers.synth.ring import FLAT, STREET_NAME, _homes_of_girls, demo_ring_ensure

pytestmark = pytest.mark.django_db

UNTIL = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def test_the_ring_links_girls_of_two_homes_and_is_made_once():
    forces_load()
    force = Force.objects.get(code="devon-and-cornwall")
    demo_users_ensure(force=force)
    generate_force(force=force, seed=1, children=60, episodes=80, until=UNTIL)

    girls, suggested = demo_ring_ensure(force=force, now=UNTIL)
    # The small history here has one girl in each home; the demo's (300 children) has more.
    assert girls >= 2
    linked = Link.objects.filter(force=force).select_related("child")
    assert {link.child.sex for link in linked} == {"female"}
    ring = {link.child_id for link in linked}
    assert len(ring) == girls
    homes = [home for home, of in _homes_of_girls(force).items() if ring & {g.pk for g in of}]
    assert len(homes) >= 2
    jaydee = Entity.objects.get(force=force, name=STREET_NAME)
    assert Link.objects.filter(entity=jaydee).values("child").distinct().count() == girls
    kinds = set(Link.objects.filter(force=force).values_list("entity__kind", flat=True))
    assert kinds == {"person", "vehicle", "phone", "place"}
    assert Entity.objects.get(kind="place").place.name == FLAT
    # Every link within the hub window (ADR 50), so the network shows him as a hub once three
    # girls are linked (the demo's 300 children give five).
    assert all(link.occurred_on >= (UNTIL - dt.timedelta(days=365)).date() for link in linked)
    rule = HubRule.of(policy_for_force(force))
    hubs = hubs_as_of(force_id=force.pk, on=UNTIL.date(), rule=rule)
    assert (("entity", jaydee.pk) in hubs) == (girls >= rule.children)
    if girls == 5:  # the demo's: his car, his phone and the flat are hubs too
        assert len([key for key in hubs if key[0] == "entity" or key[1] == Entity.objects.get(
            kind="place").place_id]) == 4
    # Nothing is linked from the missing girl's enquiry log until someone confirms it.
    assert suggested == Suggestion.objects.filter(force=force).count() == 3
    for suggestion in Suggestion.objects.filter(force=force):
        assert suggestion.state == "open"
        assert not Link.objects.filter(child=suggestion.child).exists()

    assert demo_ring_ensure(force=force, now=UNTIL) == (0, 0)
    assert Entity.objects.filter(force=force, name=STREET_NAME).count() == 1

    synth_reset(force=force)
    assert not Entity.objects.filter(force=force).exists()
    assert not Place.objects.filter(force=force, name=FLAT).exists()

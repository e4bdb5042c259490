"""The demo's planted ring (issue 14): a street name linked to several girls from two children's
homes, a car, a phone and a flat, recorded through the casework workflow, so the girl whose link
makes a hub raises a hub alert (ADR 51): the coordinator is told, a marker is proposed; a
missing girl's enquiry log names them (suggestions, nothing linked); made once, and deleted
with the rest of the synthetic data."""

import datetime as dt

import pytest

from mispers.accounts.models import Force, User
from mispers.accounts.services import forces_load
from mispers.casework.intelligence import HUB_NOTIFICATION
from mispers.episodes.models import Episode
from mispers.intelligence.hubs import HubRule, hubs_as_of
from mispers.intelligence.models import Entity, IntelligenceEvent, Link, Suggestion
from mispers.places.models import Place
from mispers.returns.models import MarkerProposal
from mispers.reviews.models import Notification
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

    girls, suggested, alerts = demo_ring_ensure(force=force, now=UNTIL)
    # The small history here has one girl in each home, and the ring takes another girl of the
    # force so that it still makes a hub (3 children); the demo's (300 children) has five.
    assert girls >= 3
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
    assert ("entity", jaydee.pk) in hubs and girls >= rule.children
    if girls == 5:  # the demo's: his car, his phone and the flat are hubs too
        assert len([key for key in hubs if key[0] == "entity" or key[1] == Entity.objects.get(
            kind="place").place_id]) == 4
    # The hub alerts (ADR 51): the girl whose link made Jaydee a hub, and each who joined one
    # after, told the demo's coordinator and the officer in her case, with a marker proposed.
    events = IntelligenceEvent.objects.filter(child__force=force,
                                              code=IntelligenceEvent.Code.HUB_ALERT)
    assert alerts >= 1 and events.count() == alerts
    assert events.filter(summary__contains=f"{STREET_NAME}, ").exists()
    coordinator = User.objects.get(username="coordinator")
    told = Notification.objects.filter(kind=HUB_NOTIFICATION, recipient=coordinator)
    assert told.count() == alerts
    assert told.filter(subject__contains=f"linked to an exploitation hub: {STREET_NAME}, "
                       ).exists()
    alerted = set(events.values_list("child_id", flat=True))
    proposals = MarkerProposal.objects.filter(source="exploitation_hub", status="proposed")
    assert proposals.exists() and set(proposals.values_list("child_id", flat=True)) <= alerted
    # Recorded after the history: every alert after the last episode was reported.
    last_report = Episode.objects.filter(force=force).order_by("-reported_at")[0].reported_at
    assert all(event.at > last_report for event in events)
    # Nothing is linked from the missing girl's enquiry log until someone confirms it.
    assert suggested == Suggestion.objects.filter(force=force).count() == 3
    for suggestion in Suggestion.objects.filter(force=force):
        assert suggestion.state == "open"
        assert not Link.objects.filter(child=suggestion.child).exists()

    assert demo_ring_ensure(force=force, now=UNTIL) == (0, 0, 0)
    assert Entity.objects.filter(force=force, name=STREET_NAME).count() == 1

    synth_reset(force=force)
    assert not Entity.objects.filter(force=force).exists()
    assert not Place.objects.filter(force=force, name=FLAT).exists()

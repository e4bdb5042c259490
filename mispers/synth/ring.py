"""The demo's planted ring (issue 14): an older associate known by a street name, "Jaydee",
linked to several girls from two of the demo force's children's homes; his car, his phone and
a flat where two of them were found. One more girl, still missing, has an enquiry-log entry
that names him, his phone and his car: the suggestions an officer confirms. Everything is
invented (the street name, the registration, an Ofcom drama number).

The links are recorded after the history, in the hours before `now` (an intelligence review of
the girls' episodes; each link dated when it happened), in the order they happened, through the
casework workflow (`link_record`, ADR 51): the girl whose link makes a hub, and each girl who
joins one, raises a hub alert, so the coordinator and the officer in the case are told (My
work), an exploitation marker is proposed on the girl's open (else latest) episode and her
intelligence timeline records it. Recorded now, not back in the history, so nothing changes
what the history's assessments saw: the proposals wait for a decision (on a closed case with no
clock, ADR 51). Deterministic and idempotent, and quick (a few dozen rows)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import NamedTuple

from mispers.accounts.models import Force, User
from mispers.casework.enquiries import enquiry_workflow
from mispers.casework.intelligence import link_record
from mispers.episodes.models import Episode
from mispers.intelligence.hubs import HubRule
from mispers.intelligence.models import Entity, EntityKind, Suggestion
from mispers.intelligence.services import entity_create
from mispers.people.models import Child
from mispers.places.details import PlaceDetails
from mispers.places.services import place_create
from mispers.risk.selectors import policy_for_force

from .people import system_username

STREET_NAME = "Jaydee"
REGISTRATION = "YK18 RNG"
PHONE = "07700 900481"
FLAT = "Flat 4, Harbour Court (synthetic)"
RECENT_DAYS = 300
# Each ring girl's links: (what, entity, source, grading).
# Missing now: reported or open (not found, closed or withdrawn).
MISSING = (Episode.State.REPORTED, Episode.State.OPEN)
# With five girls each of the four is linked to at least three of them within the year: four
# hubs on the network page (ADR 50: 3 children in 365 days).
PATTERN = [
    [("seen_with", "person", "enquiry_log", "B2"), ("picked_up_by", "vehicle", "report", "B3"),
     ("found_at", "place", "enquiry_log", "A1"),
     ("in_contact_with", "phone", "prevention_interview", "B2")],
    [("seen_with", "person", "return_home_interview", "B2"),
     ("in_contact_with", "phone", "prevention_interview", "A2")],
    [("named_at_interview", "person", "prevention_interview", "A2"),
     ("found_at", "place", "enquiry_log", "A1"), ("picked_up_by", "vehicle", "partner", "B3")],
    [("seen_with", "person", "partner", "B3"), ("picked_up_by", "vehicle", "intelligence", "C3")],
    [("in_contact_with", "phone", "return_home_interview", "B2"),
     ("seen_with", "person", "enquiry_log", "B3"), ("found_at", "place", "enquiry_log", "A2")],
]


def _homes_of_girls(force: Force) -> dict:
    """Children's home -> the girls who live there (their placement) or went missing from it,
    in a stable order."""
    by_home: dict = defaultdict(list)
    episodes = (Episode.objects.filter(force=force, child__sex="female",
                                       child__merged_into__isnull=True)
                .select_related("child", "child__placement", "missing_from_place")
                .order_by("child__family_name", "child__given_name", "child_id", "reported_at"))
    for episode in episodes:
        girl = episode.child
        home = girl.placement if girl.placement and girl.placement.kind == "childrens_home" \
            else episode.missing_from_place
        if home is None or home.kind != "childrens_home" or girl in by_home[home.pk]:
            continue
        by_home[home.pk].append(girl)
    return by_home


def _ring_girls(force: Force, *, at_least: int = 0) -> tuple[list[Child], Child | None]:
    """Girls of the two children's homes with the most of them: three of the first and two of
    the second (fewer when the homes have fewer, then other girls of the force up to
    `at_least`, so that a small demo's ring still makes a hub), and one more girl of those homes
    missing now (for the suggestion)."""
    by_home = _homes_of_girls(force)
    homes = sorted(by_home, key=lambda home: (-len(by_home[home]), str(home)))[:2]
    if len(homes) < 2:
        return [], None
    ring = by_home[homes[0]][:3] + [girl for girl in by_home[homes[1]]
                                    if girl not in by_home[homes[0]][:3]][:2]
    if len(ring) < at_least:
        ring += list(Child.objects.filter(force=force, sex="female", merged_into__isnull=True)
                     .exclude(pk__in=[girl.pk for girl in ring])
                     .order_by("family_name", "given_name", "pk")[:at_least - len(ring)])
    missing = next((girl for home in homes for girl in by_home[home]
                    if girl not in ring and girl.episodes.filter(
                        state__in=MISSING).exists()), None)
    if missing is None:  # none of those homes' girls is missing now: another girl who is
        missing = (Child.objects.filter(force=force, sex="female", merged_into__isnull=True,
                                        episodes__state__in=MISSING)
                   .exclude(pk__in=[girl.pk for girl in ring])
                   .order_by("family_name", "given_name", "pk").first())
    return ring, missing


class Planted(NamedTuple):
    """How many girls the ring links, suggestions wait to be confirmed and hub alerts it raised
    (all 0 when it is there already)."""

    girls: int = 0
    suggested: int = 0
    alerts: int = 0


def demo_ring_ensure(*, force: Force, now: dt.datetime) -> Planted:
    """Plant the ring (nothing when it is there already)."""
    if Entity.objects.filter(force=force, kind=EntityKind.PERSON, name=STREET_NAME).exists():
        return Planted()
    # Two of the generator's officers record it, so that it is synthetic data like the rest
    # (`synth_reset` deletes it with the flat).
    officers = list(User.objects.filter(
        force=force, username__startswith=f"{system_username(force.code)}-pc")
        .order_by("username")[:2])
    if len(officers) < 2:
        return Planted()
    officer, recorder = officers
    # At least the hub rule's number of children (ADR 50), so the ring is a hub in any demo.
    ring, missing = _ring_girls(force, at_least=HubRule.of(policy_for_force(force)).children)
    if not ring:
        return Planted()
    first = min(e.reported_at for girl in ring for e in girl.episodes.all())
    at = max(first, now - dt.timedelta(days=400))
    flat = place_create(actor=recorder, now=at, details=PlaceDetails(
        kind="associate_address", name=FLAT, address="Harbour Court\nPlymouth"))
    entities = {
        "person": entity_create(actor=recorder, now=at, kind="person", name=STREET_NAME,
                                aliases=["JD"], approximate_age=24,
                                role="suspected_exploiter",
                                description="Older male, slim, often in a grey tracksuit. "
                                            "Known only by his street name. Synthetic."),
        "vehicle": entity_create(actor=recorder, now=at, kind="vehicle",
                                 registration=REGISTRATION, make="Vauxhall Corsa",
                                 colour="White"),
        "phone": entity_create(actor=recorder, now=at, kind="phone", phone=PHONE),
        "place": entity_create(actor=recorder, now=at, kind="place", place=flat),
    }
    # Within the hub window (ADR 50: 3 children in 365 days), so the network shows him as a
    # hub: each girl's latest episodes of the last RECENT_DAYS, or, for a girl with none, a
    # link of her own (no episode) a few weeks back.
    recent = now - dt.timedelta(days=RECENT_DAYS)
    planned = []
    for index, (girl, links) in enumerate(zip(ring, PATTERN, strict=False)):
        episodes = list(girl.episodes.filter(reported_at__gte=recent)
                        .order_by("-reported_at")[:2])
        for number, (kind, entity, source, grading) in enumerate(links):
            episode = episodes[min(number, len(episodes) - 1)] if episodes else None
            when = (episode.reported_at if episode
                    else now - dt.timedelta(days=20 + 15 * index + number))
            planned.append((when, index, number, girl, kind, entity, source, grading, episode))
    # In the order they happened, a minute apart, in the two hours before `now` (before the
    # missing girl's enquiry-log entry below).
    planned.sort(key=lambda row: row[:3])
    recorded = now - dt.timedelta(hours=2)
    alerts = 0
    for (when, _, _, girl, kind, entity, source, grading, episode) in planned:
        recorded += dt.timedelta(minutes=1)
        linked = link_record(actor=officer, now=recorded, child=girl, entity=entities[entity],
                             kind=kind, occurred_on=when.date(), source=source,
                             source_evaluation=grading[0], information_assessment=grading[1],
                             episode=episode)
        alerts += linked.alert is not None
    suggested = 0
    if missing is not None:
        episode = missing.episodes.filter(state__in=MISSING).order_by(
            "-reported_at").first()
        when = max(episode.reported_at, now - dt.timedelta(hours=1))
        entry = enquiry_workflow(
            actor=officer, now=when, episode=episode, occurred_at=when,
            text=(f"Friend says she has been talking to {STREET_NAME} on {PHONE} and got "
                  f"into a white Corsa {REGISTRATION} outside the home."))
        suggested = Suggestion.objects.filter(source_ref=f"enquiry:{entry.pk}").count()
    return Planted(girls=len(ring), suggested=suggested, alerts=alerts)

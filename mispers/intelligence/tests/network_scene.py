"""A small ring for the network's tests and browser journey (ADR 50): four girls of one
children's home; "Jaydee" seen with three of them (a hub); his car with two; a peer with one;
two of the girls missing at the same time from the home and found together at a flat; and
another force's child linked to a person of the same street name (never shown)."""

import datetime as dt
from types import SimpleNamespace

from mispers.casework.children import child_create
from mispers.casework.found import return_record
from mispers.intelligence.services import entity_create, link_create
from mispers.partners.tests.together import graded_episode
from mispers.places.details import PlaceDetails
from mispers.places.services import place_create


def link(actor, now, child, entity, *, kind="seen_with", on=None, grading="B2"):
    return link_create(actor=actor, now=now, child=child, entity=entity, kind=kind,
                       occurred_on=on or now.date(), source="enquiry_log",
                       source_evaluation=grading[0], information_assessment=grading[1])


def ring(*, force, other_force, now, child_details, make_user):
    coordinator = make_user(force=force, roles=["coordinator"], rank="sergeant",
                            username="ring-coordinator")
    home = place_create(actor=coordinator, now=now, details=PlaceDetails(
        kind="childrens_home", name="Harbour View Children's Home", postcode="PL1 1AA"))
    flat = place_create(actor=coordinator, now=now, details=PlaceDetails(
        kind="associate_address", name="Flat 9, Quay Court", postcode="PL1 3ZZ"))
    girls = [child_create(actor=coordinator, now=now, force=force,
                          details=child_details(given_name=name, family_name="Ringtest",
                                                placement=home))
             for name in ("Abi", "Bella", "Cleo", "Dana")]
    jaydee = entity_create(actor=coordinator, now=now, kind="person", name="Jaydee",
                           aliases=["JD"], role="suspected_exploiter")
    car = entity_create(actor=coordinator, now=now, kind="vehicle", registration="YK18 RNG",
                        make="Corsa", colour="White")
    peer = entity_create(actor=coordinator, now=now, kind="person", name="Peer Onlyone",
                         role="peer")
    for girl in girls[:3]:
        link(coordinator, now, girl, jaydee)
    link(coordinator, now, girls[0], car, kind="picked_up_by", grading="C4")
    link(coordinator, now, girls[1], car, kind="picked_up_by", grading="C4")
    link(coordinator, now, girls[3], peer, on=now.date() - dt.timedelta(days=30))
    # Cleo and Dana missing from the home at the same time, found together at the flat.
    for girl in girls[2:]:
        episode = graded_episode(actor=coordinator, now=now - dt.timedelta(hours=5), child=girl,
                                 grader=coordinator)
        return_record(actor=coordinator, now=now, episode=episode,
                      found_at=now - dt.timedelta(hours=1), found_where="the flat",
                      found_by="police", condition="safe_and_well", found_place=flat)
    # Another force: a child linked to its own "Jaydee" three times over; never shown here.
    outsider = make_user(force=other_force, roles=["coordinator"], rank="sergeant",
                         username="ring-outsider")
    their_jay = entity_create(actor=outsider, now=now, kind="person", name="Jaydee Elsewhere")
    for name in ("Xena", "Yara", "Zoe"):
        theirs = child_create(actor=outsider, now=now, force=other_force,
                              details=child_details(given_name=name,
                                                    family_name="Otherforcechild",
                                                    placement=None))
        link(outsider, now, theirs, their_jay)
    return SimpleNamespace(coordinator=coordinator, girls=girls, jaydee=jaydee, car=car,
                           peer=peer, home=home, flat=flat, outsider=outsider)

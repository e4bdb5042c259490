"""Scenario builders for where-to-look and searches, through the services."""

import datetime as dt
from types import SimpleNamespace

from mispers.casework.found import return_record
from mispers.casework.grade import assessment_record
from mispers.casework.report import episode_report
from mispers.episodes.services import ReportDetails
from mispers.places.details import PlaceDetails
from mispers.places.services import place_create
from mispers.risk import policy as risk_policy
from mispers.risk.services import AnswerInput


def place(*, actor, now, kind, name, at=None):
    """A place of the actor's force; `at` (latitude, longitude) when it has coordinates."""
    lat, lon = at or (None, None)
    return place_create(actor=actor, now=now, details=PlaceDetails(
        kind=kind, name=name, latitude=None if lat is None else f"{lat:.5f}",
        longitude=None if lon is None else f"{lon:.5f}"))


def missing(*, actor, now, child, last_seen_place=None, missing_from="home",
            missing_from_place=None, grade="high"):
    """An episode reported at `now` and graded (open)."""
    episode = episode_report(actor=actor, now=now, child=child, details=ReportDetails(
        reported_at=now, reported_by_name="A Parent", last_seen_at=now - dt.timedelta(hours=2),
        last_seen_where=str(last_seen_place or "Near home"), missing_from=missing_from,
        missing_from_place=missing_from_place, last_seen_place=last_seen_place))
    assessment_record(actor=actor, now=now + dt.timedelta(minutes=5), episode=episode,
                      chosen_grade=grade, rationale="",
                      answers={code: AnswerInput(answer="unknown")
                               for code in risk_policy.FACTORS})
    return episode


def missing_and_found(*, actor, now, child, found_place, **kwargs):
    episode = missing(actor=actor, now=now, child=child, **kwargs)
    return_record(actor=actor, now=now + dt.timedelta(hours=6), episode=episode,
                  found_at=now + dt.timedelta(hours=5), found_where=str(found_place),
                  found_by="police", condition="safe_and_well", found_place=found_place)
    return episode


# Plymouth, roughly; the skate park about 1 km away, the flat 2 km, the aunt's 25 km.
HOME_AT = (50.3755, -4.1427)


def history(*, actor, now, child):
    """A child found twice at the skate park and once at a friend's flat in the last year, now
    missing again, last seen at the bus station."""
    p = SimpleNamespace(
        home=place(actor=actor, now=now, kind="home", name="14 Example Road", at=HOME_AT),
        skate=place(actor=actor, now=now, kind="street_or_park", name="Central skate park",
                    at=(50.3800, -4.1300)),
        flat=place(actor=actor, now=now, kind="associate_address", name="Flat 3, Dock Street",
                   at=(50.3650, -4.1600)),
        aunt=place(actor=actor, now=now, kind="relative", name="Aunt's house, Tavistock",
                   at=(50.5500, -4.1440)),
        bus=place(actor=actor, now=now, kind="transport_hub", name="Bretonside bus station",
                  at=(50.3710, -4.1370)),
        cafe=place(actor=actor, now=now, kind="shop_or_leisure", name="Harbour cafe",
                   at=(50.3690, -4.1330)),
    )
    days = dt.timedelta(days=1)
    for when, found_at in [(now - 300 * days, p.skate), (now - 120 * days, p.flat),
                           (now - 40 * days, p.skate)]:
        missing_and_found(actor=actor, now=when, child=child, found_place=found_at,
                          missing_from_place=p.home)
    episode = missing(actor=actor, now=now - dt.timedelta(hours=1), child=child,
                      last_seen_place=p.bus, missing_from_place=p.home)
    return p, episode

"""Report a child missing: the workflow every report goes through (the report page, the API, the
synthetic generator, a partner's report), in order and in one transaction.

1. A child not known before is recorded (`casework.children.child_create`), and a place not known
   before (`places.services.place_create`); then the episode's record and its first timeline
   event (`episodes.services.episode_create`).
2. Nothing is open without a clock: the stand-in review and the national-unit clock
   (`reviews.services.clocks_on_report`).
3. A child who goes missing again: the trigger plan's actions and the strategy-meeting threshold
   (`repeats.services.repeats_on_report`).
4. The partners responsible for the child are told (`partners.services.alerts`); the record of
   what was shared is written now, the e-mails go on commit."""

import dataclasses
import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from mispers.episodes.models import Episode, ReportedVia
from mispers.episodes.services import EpisodeInvalid, ReportDetails, episode_create
from mispers.partners.services.alerts import partner_alerts_missing
from mispers.people.details import ChildDetails
from mispers.people.models import Child
from mispers.places.details import PlaceDetails
from mispers.places.services import place_create
from mispers.repeats.services import repeats_on_report
from mispers.reviews.services import clocks_on_report

from .children import child_create


@transaction.atomic
def episode_report(*, actor, now: dt.datetime, details: ReportDetails,
                   child: Child | None = None, new_child: ChildDetails | None = None,
                   force=None, reported_via: str = ReportedVia.POLICE,
                   prefilled_fields: Sequence[str] = ()) -> Episode:
    """Record a missing report for an existing child, or for a child recorded with it, and set
    everything a new report sets in motion."""
    if (child is None) == (new_child is None):
        raise EpisodeInvalid("Choose an existing child or enter a new child's details")
    if child is None:
        child = child_create(actor=actor, now=now, force=force or actor.force, details=new_child)
    # A place named at intake that the force did not have yet is recorded with the report.
    new_places = {name: place_create(actor=actor, now=now, details=value)
                  for name in ("missing_from_place", "last_seen_place")
                  if isinstance(value := getattr(details, name), PlaceDetails)}
    if new_places:
        details = dataclasses.replace(details, **new_places)
    episode = episode_create(actor=actor, now=now, details=details, child=child, force=force,
                             reported_via=reported_via, prefilled_fields=prefilled_fields)
    clocks_on_report(episode=episode, now=now)
    repeats_on_report(episode=episode, actor=actor, now=now)
    partner_alerts_missing(actor=actor, now=now, episode=episode)
    return episode

"""Primitives for episodes: the report's record, the timeline every service writes to, and the
lock-and-save every change to an episode goes through (ADR 20). Nothing here imports the apps
that build on episodes; the workflows that span them are in `mispers.casework`."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django_fsm import can_proceed

from mispers.core.errors import DomainError
from mispers.people.details import ADULT_AGE
from mispers.people.models import Child

from .models import Episode, MissingFrom, ReferenceCounter, ReportedVia, TimelineEvent


class EpisodeInvalid(DomainError):
    """The report's details are not acceptable."""


class EpisodeConflict(DomainError):
    """Someone else changed the episode since this user loaded it."""


class IllegalTransition(DomainError):
    """The episode's state does not allow this step."""


TRANSITION_WORDS = {"grade": "graded", "mark_found": "recorded as found", "close": "closed",
                    "withdraw": "withdrawn"}


@dataclass(frozen=True)
class ReportDetails:
    reported_at: dt.datetime
    reported_by_name: str
    last_seen_at: dt.datetime
    last_seen_where: str
    missing_from: str
    reported_by_relationship: str = ""
    reported_by_contact: str = ""
    circumstances: str = ""
    clothing: str = ""
    possible_whereabouts: str = ""
    # Issue 11: the places as records (places.Place of the episode's force), beside the notes
    # above. The report workflow turns a new place's details into a Place first.
    missing_from_place: object = None
    last_seen_place: object = None


def _place_check(place, *, force, field: str) -> None:
    if place is None:
        return
    if getattr(place, "force_id", None) != force.pk or place.merged_into_id is not None:
        raise EpisodeInvalid("Place not found: choose it again", field=field)


def timeline_record(*, episode: Episode, at: dt.datetime, actor, code: str, summary: str,
                    data: dict | None = None) -> TimelineEvent:
    """Append an event to the episode's timeline. Services call it inside their transaction."""
    return TimelineEvent.objects.create(episode=episode, at=at, actor=actor, code=code,
                                        summary=summary[:500], data=data or {})


def _next_reference(*, force, year: int) -> str:
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(force=force,
                                                                            year=year)
    ReferenceCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"{force.reference_prefix}-{year}-{counter.last:06d}"


def _check_report(details: ReportDetails, *, child: Child, now: dt.datetime) -> None:
    if details.reported_at > now:
        raise EpisodeInvalid("The report time cannot be in the future", field="reported_at")
    if details.last_seen_at > details.reported_at:
        raise EpisodeInvalid("Last seen must be before the time of the report",
                             field="last_seen_at")
    if not details.reported_by_name.strip():
        raise EpisodeInvalid("Enter the name of the person reporting",
                             field="reported_by_name")
    if not details.last_seen_where.strip():
        raise EpisodeInvalid("Enter where the child was last seen", field="last_seen_where")
    if details.missing_from not in MissingFrom.values:
        raise EpisodeInvalid("Choose where the child is missing from", field="missing_from")
    if child.date_of_birth is not None and details.last_seen_at.date() < child.date_of_birth:
        raise EpisodeInvalid("Last seen cannot be before the child was born: check the last "
                             "seen time and the date of birth", field="last_seen_at")
    age = child.age_on(details.reported_at.date())
    if age is None:
        raise EpisodeInvalid("The child's age is not known: record a date of birth or an "
                             "estimated age", field="date_of_birth")
    if age >= ADULT_AGE:
        raise EpisodeInvalid(f"The person was {age} at the time of the report: this system is "
                             "for children under 18", field="date_of_birth")


@transaction.atomic
def episode_create(*, actor, now: dt.datetime, details: ReportDetails, child: Child,
                   force=None, reported_via: str = ReportedVia.POLICE,
                   prefilled_fields: Sequence[str] = ()) -> Episode:
    """The episode record of a missing report and its first timeline event. Only the record: the
    report workflow (`mispers.casework.report.episode_report`) records a new child, sets the
    clocks, the repeat checks and the partner alerts around it, in one transaction. A partner's
    report passes the child's `force` (the partner has none), `reported_via="partner"` and the
    fields it pre-filled; it is left unowned, in the force's queue, for a call handler to pick
    up and grade."""
    force = force or actor.force
    if child.force_id != force.pk:
        raise EpisodeInvalid("Child not found", field="child")
    _check_report(details, child=child, now=now)
    _place_check(details.missing_from_place, force=force, field="missing_from_place")
    _place_check(details.last_seen_place, force=force, field="last_seen_place")
    episode = Episode(
        force=force, child=child,
        reference=_next_reference(force=force, year=details.reported_at.year),
        reported_at=details.reported_at,
        reported_by_name=details.reported_by_name.strip(),
        reported_by_relationship=details.reported_by_relationship.strip(),
        reported_by_contact=details.reported_by_contact.strip(),
        last_seen_at=details.last_seen_at,
        last_seen_where=details.last_seen_where.strip(),
        missing_from=details.missing_from,
        circumstances=details.circumstances.strip(),
        clothing=details.clothing.strip(),
        possible_whereabouts=details.possible_whereabouts.strip(),
        missing_from_place=details.missing_from_place,
        last_seen_place=details.last_seen_place,
    )
    episode.reported_via = reported_via
    episode.prefilled_fields = list(prefilled_fields)
    # Whoever takes the report owns it until they hand it over; a partner's report has no
    # police owner yet.
    episode.owner = actor if reported_via == ReportedVia.POLICE else None
    episode.stamp(actor=actor, now=now)
    episode.save()
    timeline_record(episode=episode, at=now, actor=actor, code=TimelineEvent.Code.REPORTED,
                    summary=f"{child.full_name} reported missing from "
                            f"{episode.get_missing_from_display().lower()} by "
                            f"{episode.reported_by_name}",
                    data={"reported_at": details.reported_at.isoformat()})
    return episode


CONFLICT_MESSAGE = ("Someone else has changed this episode since you opened it. Reload the page to "
                    "see their changes, then try again.")
# Fields every save of an episode writes besides the ones a service names.
_ALWAYS_SAVED = ("version", "modified_at", "modified_by")


def episode_lock(*, episode: Episode, expected_version: int | None = None) -> Episode:
    """The first step of every service that changes an episode or what hangs from it (ADR 20).

    Locks the episode's row until the caller's transaction ends (``SELECT ... FOR UPDATE`` on
    PostgreSQL; on SQLite the IMMEDIATE transaction already holds the database's write lock) and
    reloads the given episode from it in place, so every check that follows sees the case as it
    is now, not as the user's page or the caller's object last saw it. A second request for the
    same episode waits here until the first commits, then works on what the first left. If the
    caller passes the `expected_version` the user loaded and the row has moved on, refuse (409)
    rather than silently overwrite. Call inside the service's transaction.

    Every write of an episode bumps its `version` (episode_touch), so when the locked row's
    version is the one the caller's object holds, the object already has the row's values and
    only its cached related records are forgotten: a workflow locks one episode a dozen times,
    and reading the whole row each time was a tenth of the demo's history (ADR 31)."""
    version = Episode.objects.select_for_update().filter(pk=episode.pk).values_list(
        "version", flat=True).first()
    if version is None:
        raise Episode.DoesNotExist(f"Episode {episode.pk} does not exist")
    if version != episode.__dict__.get("version"):
        _reload(episode, Episode.objects.get(pk=episode.pk))
    else:
        _forget_related(episode)
    if expected_version is not None and episode.version != expected_version:
        raise EpisodeConflict(CONFLICT_MESSAGE)
    return episode


def _reload(episode: Episode, fresh: Episode) -> None:
    """Load `fresh`'s values into the caller's `episode`, as refresh_from_db would. Not
    refresh_from_db itself: django-fsm's mixin lifts the state field's protection for every
    thread while it refreshes, so two requests refreshing at once break each other."""
    for field in Episode._meta.concrete_fields:
        old = episode.__dict__.get(field.attname)
        episode.__dict__[field.attname] = fresh.__dict__[field.attname]
        if field.is_relation and field.is_cached(episode) and old != episode.__dict__[
                field.attname]:
            field.delete_cached_value(episode)
    _forget_related(episode)


def _forget_related(episode: Episode) -> None:
    for related in Episode._meta.related_objects:  # e.g. a found record made meanwhile
        if related.is_cached(episode):
            related.delete_cached_value(episode)
    getattr(episode, "_prefetched_objects_cache", {}).clear()


def episode_touch(*, episode: Episode, actor, now: dt.datetime,
                  expected_version: int | None = None, transition: str | None = None,
                  **changes) -> Episode:
    """Save changes to an episode under its lock, optionally through a state-machine transition.
    Call inside the caller's transaction. The row is locked and read afresh (`episode_lock`):
    the transition is judged on the state in the database, not on a copy read before someone
    else's change, and only the named fields are saved, so nothing another request wrote is
    overwritten."""
    episode_lock(episode=episode, expected_version=expected_version)
    if transition is not None:
        method = getattr(episode, transition)
        if not can_proceed(method):
            raise IllegalTransition(
                f"Episode {episode.reference} is {episode.get_state_display().lower()}: "
                f"it cannot be {TRANSITION_WORDS.get(transition, transition)}")
        method()
    for name, value in changes.items():
        setattr(episode, name, value)
    episode.version += 1
    episode.stamp(actor=actor, now=now)
    episode.save(update_fields=[*(["state"] if transition else []), *changes, *_ALWAYS_SAVED])
    return episode

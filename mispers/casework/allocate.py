"""Allocate an officer in the case (issue 10, ADR 24): a control-room or team supervisor names the
officer who owns a medium or high case. The officer owns it at once (no acceptance, unlike a
handover), the case joins the officer's team, the allocation deadline is met, the timeline says
who allocated whom, and the officer is told."""

import datetime as dt

from django.db import transaction

from mispers.accounts.models import User
from mispers.accounts.roles import READ_ROLES, Role
from mispers.core.errors import DomainError
from mispers.episodes.models import Episode, TimelineEvent
from mispers.episodes.services import episode_lock, episode_touch, timeline_record
from mispers.reviews.models import Deadline, Notification
from mispers.reviews.permissions import can_allocate
from mispers.reviews.services import deadlines_close, handovers_cancel

NOTIFICATION_KIND = "allocated"


class AllocationRefused(DomainError):
    """The officer cannot be allocated to this case by this user."""


def may_allocate(user) -> bool:
    return can_allocate(user)


def allocatable_officers(*, episode: Episode, team=None):
    """Active police users of the episode's force who may own a case, by team then name."""
    users = (User.objects.filter(force_id=episode.force_id, is_active=True,
                                 roles__role__in=READ_ROLES)
             .exclude(roles__role__in=[Role.CALL_HANDLER]).distinct()
             .select_related("team").order_by("team__name", "last_name", "first_name", "id"))
    return users.filter(team=team) if team is not None else users


@transaction.atomic
def episode_allocate(*, actor, now: dt.datetime, episode: Episode, officer: User,
                     note: str = "") -> Episode:
    episode = episode_lock(episode=episode)  # ADR 20: one change to a case at a time
    if not may_allocate(actor) or actor.force_id != episode.force_id:
        raise AllocationRefused("Only a supervisor, an inspector or a superintendent of the "
                                "force may allocate an officer in the case")
    if not episode.is_active:
        raise AllocationRefused(f"Episode {episode.reference} is "
                                f"{episode.get_state_display().lower()}: it cannot be allocated")
    if not (officer.is_active and officer.force_id == episode.force_id
            and officer.role_codes & READ_ROLES):
        raise AllocationRefused("Allocate an active police officer of your force",
                                field="officer")
    if episode.owner_id == officer.pk and episode.allocated_at is not None:
        raise AllocationRefused(f"{officer} is already the officer in the case",
                                field="officer")
    previous = episode.owner
    handovers_cancel(episode=episode, actor=actor, now=now,
                     note=f"Replaced by the allocation of {officer}")
    episode_touch(episode=episode, actor=actor, now=now, owner=officer, team=officer.team,
                  allocated_at=now)
    deadlines_close(episode=episode, kinds=[Deadline.Kind.ALLOCATION], now=now, actor=actor,
                    note=f"Allocated to {officer}")
    note = note.strip()
    team = f" ({officer.team.name})" if officer.team_id else ""
    timeline_record(episode=episode, at=now, actor=actor, code=TimelineEvent.Code.ALLOCATED,
                    summary=f"{actor.display_with_rank} allocated {officer.display_with_rank}"
                            f"{team} as the officer in the case"
                            + (f", in place of {previous}" if previous and previous != officer
                               else "") + (f". {note}" if note else ""),
                    data={"officer": str(officer.pk),
                          "team": str(officer.team_id) if officer.team_id else None})
    Notification.objects.create(
        recipient=officer, episode=episode, kind=NOTIFICATION_KIND, created_at=now,
        subject=f"You are the officer in the case for {episode.reference}",
        body=f"{actor.display_with_rank} allocated the case to you."
             + (f" {note}" if note else ""))
    return episode

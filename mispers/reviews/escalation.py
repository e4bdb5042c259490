"""The sweeper: overdue deadlines escalate to the next rank up, unacknowledged escalations climb,
and the 72-hour national notification becomes a task. Idempotent: run twice at the same `now`,
the second run creates nothing (unique (deadline, level) and the checks below)."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Exists, OuterRef

from mispers.accounts.models import User
from mispers.accounts.roles import READ_ROLES
from mispers.core.errors import DomainError
from mispers.episodes.models import Episode, TimelineEvent
from mispers.episodes.services import timeline_record
from mispers.risk.selectors import policy_for_force

from . import clocks
from .models import Deadline, Escalation, Notification

Kind = Deadline.Kind


class AcknowledgementRefused(DomainError):
    """This notification is someone else's, or already acknowledged."""


class _Recipients:
    """Active police users of a force by rank, loaded once per sweep."""

    def __init__(self):
        self._by_force: dict[str, dict[str, list[User]]] = {}

    def at_or_above(self, force_id: str, rank: str) -> tuple[str, list[User]] | None:
        if force_id not in self._by_force:
            by_rank = defaultdict(list)
            users = (User.objects.filter(force_id=force_id, is_active=True,
                                         roles__role__in=READ_ROLES)
                     .distinct().prefetch_related("roles"))
            for user in users:
                by_rank[user.rank].append(user)
            self._by_force[force_id] = by_rank
        current = rank
        while current:
            people = self._by_force[force_id].get(current)
            if people:
                return current, people
            current = clocks.rank_above(current)
        return None


def _describe(deadline: Deadline, now: dt.datetime) -> str:
    late = clocks.overdue_by(due_at=deadline.due_at, now=now) or dt.timedelta(0)
    minutes = int(late.total_seconds() // 60)
    return (f"{deadline.get_kind_display()} for {deadline.episode.reference} was due "
            f"{deadline.due_at:%d %b %H:%M} and is {minutes // 60} h {minutes % 60} min overdue")


def _escalate(*, deadline: Deadline, level: int, rank: str, now: dt.datetime,
              recipients: _Recipients, outbox: list, counts: dict) -> None:
    found = recipients.at_or_above(deadline.episode.force_id, rank)
    if found is None:
        return
    rank, people = found
    escalation = Escalation.objects.create(deadline=deadline, episode=deadline.episode,
                                           level=level, rank=rank, created_at=now)
    subject = f"Escalation: {_describe(deadline, now)}"
    Notification.objects.bulk_create([
        Notification(recipient=person, episode=deadline.episode, escalation=escalation,
                     kind="escalation", subject=subject[:300], created_at=now,
                     body=f"Open the episode and act, then acknowledge this escalation. "
                          f"Escalated to {rank} (level {level}).")
        for person in people])
    outbox.extend((subject[:300], "Sign in to Mispers to act on it and acknowledge it.",
                   settings.DEFAULT_FROM_EMAIL, [person.email])
                  for person in people if person.email)
    timeline_record(episode=deadline.episode, at=now, actor=None,
                    code=TimelineEvent.Code.ESCALATED,
                    summary=f"{_describe(deadline, now)}: escalated to {rank} (level {level}), "
                            f"{len(people)} notified",
                    data={"escalation": escalation.pk, "deadline": deadline.pk})
    counts["escalations"] += 1
    counts["notifications"] += len(people)


def _national_unit_tasks(*, now: dt.datetime, counts: dict) -> None:
    from .services import action_create  # the task is an ordinary action with its own deadline

    due = (Deadline.objects.filter(kind=Kind.NATIONAL_UNIT, status=Deadline.Status.PENDING,
                                   due_at__lte=now)
           .select_related("episode", "episode__force", "episode__owner"))
    for deadline in due:
        episode = deadline.episode
        action_create(actor=None, now=now, episode=episode, code="notify_national_unit",
                      title="Notify the UK Missing Persons Unit: missing for 72 hours",
                      source="system", assigned_to=episode.owner,
                      due_at=now + clocks.hours(1))
        Deadline.objects.filter(pk=deadline.pk).update(status=Deadline.Status.MET,
                                                       closed_at=now, note="Task created")
        timeline_record(episode=episode, at=now, actor=None,
                        code=TimelineEvent.Code.NATIONAL_UNIT,
                        summary="Still missing after 72 hours: task created to notify the UK "
                                "Missing Persons Unit")
        counts["tasks"] += 1


@transaction.atomic
def sweep(*, now: dt.datetime) -> dict[str, int]:
    counts = {"escalations": 0, "notifications": 0, "tasks": 0}
    outbox: list = []
    recipients = _Recipients()
    _national_unit_tasks(now=now, counts=counts)

    first_level = Escalation.objects.filter(deadline=OuterRef("pk"), level=1)
    overdue = (Deadline.objects.filter(status=Deadline.Status.PENDING, due_at__lt=now)
               .exclude(kind=Kind.NATIONAL_UNIT).exclude(Exists(first_level))
               .select_related("episode"))
    for deadline in overdue:
        rank = clocks.rank_above(deadline.rank)
        if rank:
            _escalate(deadline=deadline, level=1, rank=rank, now=now, recipients=recipients,
                      outbox=outbox, counts=counts)

    higher = Escalation.objects.filter(deadline=OuterRef("deadline"), level=OuterRef("level") + 1)
    policies: dict[str, object] = {}
    waiting = (Escalation.objects.filter(acknowledged_at__isnull=True,
                                         deadline__status=Deadline.Status.PENDING)
               .exclude(Exists(higher)).select_related("deadline", "deadline__episode",
                                                       "deadline__episode__force"))
    for escalation in waiting:
        episode = escalation.deadline.episode
        policy = policies.setdefault(episode.force_id, policy_for_force(episode.force))
        if escalation.created_at + clocks.hours(policy.deadlines.escalation_repeat_hours) > now:
            continue
        rank = clocks.rank_above(escalation.rank)
        if rank:
            _escalate(deadline=escalation.deadline, level=escalation.level + 1, rank=rank,
                      now=now, recipients=recipients, outbox=outbox, counts=counts)
    if outbox:
        transaction.on_commit(lambda: send_mass_mail(outbox, fail_silently=True))
    return counts


@transaction.atomic
def notification_acknowledge(*, actor, now: dt.datetime,
                             notification: Notification) -> Notification:
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.recipient_id != actor.pk:
        raise AcknowledgementRefused("This notification is addressed to someone else")
    if notification.acknowledged_at is not None:
        raise AcknowledgementRefused("You have already acknowledged this")
    notification.acknowledged_at = now
    notification.save(update_fields=["acknowledged_at"])
    escalation = notification.escalation
    if escalation is not None and escalation.acknowledged_at is None:
        Escalation.objects.filter(pk=escalation.pk).update(acknowledged_at=now,
                                                           acknowledged_by=actor)
        deadline = escalation.deadline
        if deadline.kind == Kind.SUPERINTENDENT_INFORMED:
            # Being told was the whole of this deadline: acknowledging it meets it.
            Deadline.objects.filter(pk=deadline.pk, status=Deadline.Status.PENDING).update(
                status=Deadline.Status.MET, closed_at=now, closed_by=actor)
        timeline_record(episode=escalation.episode, at=now, actor=actor,
                        code=TimelineEvent.Code.ESCALATION_ACKNOWLEDGED,
                        summary=f"{actor.display_with_rank} acknowledged the escalation: "
                                f"{deadline.get_kind_display().lower()}",
                        data={"escalation": escalation.pk})
    return notification


def episodes_needing_clock() -> "list[Episode]":
    """Open episodes without a pending review deadline (must always be empty)."""
    pending = Deadline.objects.filter(episode=OuterRef("pk"), kind=Kind.REVIEW,
                                      status=Deadline.Status.PENDING)
    return list(Episode.objects.filter(state__in=[Episode.State.REPORTED, Episode.State.OPEN])
                .exclude(Exists(pending)))

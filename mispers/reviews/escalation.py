"""The sweeper: overdue deadlines escalate to the next rank up, unacknowledged escalations climb,
and the 72-hour national notification becomes a task. Idempotent: run twice at the same `now`,
the second run creates nothing (unique (deadline, level) and the checks below)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from mispers.accounts.models import Force, User
from mispers.accounts.roles import RATIFY_ROLES
from mispers.core.errors import DomainError
from mispers.episodes.models import Episode, TimelineEvent
from mispers.episodes.services import timeline_record
from mispers.risk.selectors import policy_for_force

from . import clocks
from .deadlines import deadline_close
from .due_notices import superintendents_informed
from .models import Deadline, Escalation, Notification

Kind = Deadline.Kind


class AcknowledgementRefused(DomainError):
    """This notification is someone else's, or already acknowledged."""


KIND_NAMES = dict(Deadline.Kind.choices)


class _Recipients:
    """Active supervisors (sergeant, inspector, superintendent roles) of a force by rank, loaded
    once per sweep: the people who can act on an escalation, as (id, email) pairs."""

    def __init__(self):
        self._by_force: dict[str, dict[str, list[tuple[int, str]]]] = {}

    def at_or_above(self, force_id: str, rank: str) -> tuple[str, list[tuple[int, str]]] | None:
        if force_id not in self._by_force:
            by_rank = defaultdict(list)
            users = (User.objects.filter(force_id=force_id, is_active=True,
                                         roles__role__in=RATIFY_ROLES)
                     .distinct().order_by("id").values_list("id", "rank", "email"))
            for user_id, user_rank, email in users:
                by_rank[user_rank].append((user_id, email))
            self._by_force[force_id] = by_rank
        current = rank
        while current:
            people = self._by_force[force_id].get(current)
            if people:
                return current, people
            current = clocks.rank_above(current)
        return None


@dataclass(frozen=True, slots=True)
class _Due:
    """An overdue deadline as the sweep reads it: plain values, no model instances (a sweep after
    the worker was down may read tens of thousands). `episode_id` is in its database form, to
    go straight back into the inserts."""

    id: int
    kind: str
    due_at: dt.datetime
    rank: str
    episode_id: object
    reference: str
    force_id: str


def _fetch(queryset) -> list[tuple]:
    """The rows of a values_list queryset as the database returns them, without the ORM's
    per-value converters (a third of a large sweep's time); see _aware for the datetimes."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _aware(value) -> dt.datetime:
    """A datetime column as fetched: SQLite gives UTC text, PostgreSQL an aware datetime."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


DUE_FIELDS = ("id", "kind", "due_at", "rank", "episode_id", "episode__reference",
              "episode__force_id")


def _describe(deadline: _Due, now: dt.datetime) -> str:
    late = clocks.overdue_by(due_at=deadline.due_at, now=now) or dt.timedelta(0)
    minutes = int(late.total_seconds() // 60)
    return (f"{KIND_NAMES.get(deadline.kind, deadline.kind)} for {deadline.reference} was due "
            f"{deadline.due_at:%d %b %Y %H:%M} and is {minutes // 60} h {minutes % 60} min overdue")


def _db_value(model, name: str, value):
    """`value` of `model.name` in its database form (UUIDs, datetimes and JSON are stored
    differently by SQLite and PostgreSQL)."""
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT rows, already in their database form, with executemany. The sweep's rows are
    append-only records with nothing to compute on save; the ORM's bulk_create spends most of
    its time building instances and compiling each value, several times the insert itself."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start:start + 5000])


def _escalate_all(*, wanted: list[tuple[_Due, int, str]], now: dt.datetime,
                  recipients: _Recipients, outbox: dict, counts: dict) -> None:
    """Create the escalations in `wanted` ((deadline, level, rank) triples), each with one
    notification per person of the rank (or the next rank up that has anyone) and its timeline
    event, in a few statements whatever their number."""
    planned = []
    for deadline, level, rank in wanted:
        found = recipients.at_or_above(deadline.force_id, rank)
        if found is not None:  # nobody above: tried again at the next sweep
            planned.append((deadline, level, *found))
    if not planned:
        return
    at = _db_value(Escalation, "created_at", now)
    # The new rows' ids, read back by primary key range (an index), not by time (none).
    before = Escalation.objects.order_by("-id").values_list("id", flat=True).first() or 0
    _insert(Escalation, ("deadline", "episode", "level", "rank", "created_at"),
            [(deadline.id, deadline.episode_id, level, rank, at)
             for deadline, level, rank, _people in planned])
    ids = {(deadline_id, level): pk for deadline_id, level, pk in Escalation.objects.filter(
        id__gt=before).order_by().values_list("deadline_id", "level", "id")}
    people_ids: dict = {}
    notifications, events = [], []
    for deadline, level, rank, people in planned:
        escalation_id = ids[(deadline.id, level)]
        episode = deadline.episode_id
        described = _describe(deadline, now)
        subject = f"Escalation: {described}"[:300]
        body = (f"Open the episode and act, then acknowledge this escalation. "
                f"Escalated to {rank} (level {level}).")
        for person_id, email in people:
            if person_id not in people_ids:
                people_ids[person_id] = _db_value(Notification, "recipient", person_id)
            notifications.append((people_ids[person_id], episode, escalation_id, "escalation",
                                  subject, body, at))
            if email:
                outbox.setdefault(email, []).append(subject)
        events.append((episode, at, TimelineEvent.Code.ESCALATED,
                       f"{described}: escalated to {rank} (level {level}), "
                       f"{len(people)} notified"[:500],
                       connection.ops.adapt_json_value({"escalation": escalation_id,
                                                        "deadline": deadline.id}, None)))
    _insert(Notification, ("recipient", "episode", "escalation", "kind", "subject", "body",
                           "created_at"), notifications)
    _insert(TimelineEvent, ("episode", "at", "code", "summary", "data"), events)
    counts["escalations"] += len(planned)
    counts["notifications"] += len(notifications)


def _mail(outbox: dict[str, list[str]]) -> list[tuple]:
    """One email per person per sweep: their new escalations, listed."""
    messages = []
    for email, subjects in outbox.items():
        if len(subjects) == 1:
            subject, body = subjects[0], "Sign in to Mispers to act on it and acknowledge it."
        else:
            shown = subjects[:50]
            more = len(subjects) - len(shown)
            subject = f"Escalation: {len(subjects)} overdue items need you"
            body = ("Sign in to Mispers to act on them and acknowledge them.\n\n"
                    + "\n".join(f"- {line.removeprefix('Escalation: ')}" for line in shown)
                    + (f"\n- and {more} more" if more else ""))
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    return messages


def _national_unit_tasks(*, now: dt.datetime, counts: dict) -> None:
    from .services import action_create  # the task is an ordinary action with its own deadline

    due = (Deadline.objects.filter(kind=Kind.NATIONAL_UNIT, status=Deadline.Status.PENDING,
                                   due_at__lte=now)
           .select_related("episode", "episode__force", "episode__owner"))
    for deadline in due:
        episode = deadline.episode
        hours = policy_for_force(episode.force).deadlines
        action_create(actor=None, now=now, episode=episode, code="notify_national_unit",
                      title="Notify the UK Missing Persons Unit: missing for "
                            f"{hours.national_unit_notify_after_hours:g} hours",
                      source="system", assigned_to=episode.owner,
                      due_at=now + clocks.hours(hours.national_unit_task_due_hours))
        deadline_close(deadline=deadline, now=now, note="Task created")
        timeline_record(episode=episode, at=now, actor=None,
                        code=TimelineEvent.Code.NATIONAL_UNIT,
                        summary="Still missing after 72 hours: task created to notify the UK "
                                "Missing Persons Unit")
        counts["tasks"] += 1


@transaction.atomic
def sweep(*, now: dt.datetime) -> dict[str, int]:
    """Escalate what is overdue at `now`; climb escalations nobody acknowledged in time; turn the
    72-hour national notification into a task. Returns how many of each it created."""
    counts = {"escalations": 0, "notifications": 0, "tasks": 0}
    outbox: dict[str, list[str]] = {}
    recipients = _Recipients()
    _national_unit_tasks(now=now, counts=counts)
    counts["notifications"] += superintendents_informed(now=now)  # issue 10: at the due hour

    wanted: list[tuple[_Due, int, str]] = []
    first_level = Escalation.objects.filter(deadline=OuterRef("pk"), level=1)
    overdue = (Deadline.objects.filter(status=Deadline.Status.PENDING, due_at__lt=now)
               .exclude(kind=Kind.NATIONAL_UNIT).exclude(Exists(first_level))
               .order_by("due_at", "id").values_list(*DUE_FIELDS))
    for deadline_id, kind, due_at, *rest in _fetch(overdue):
        deadline = _Due(deadline_id, kind, _aware(due_at), *rest)
        rank = clocks.first_escalation_rank(kind=deadline.kind, rank=deadline.rank)
        if rank:
            wanted.append((deadline, 1, rank))

    # An unacknowledged escalation climbs a rank once the policy's interval has passed, while
    # its deadline is still pending and still overdue.
    higher = Escalation.objects.filter(deadline=OuterRef("deadline"), level=OuterRef("level") + 1)
    repeat_after: dict[str, dt.timedelta] = {}
    waiting = (Escalation.objects.filter(acknowledged_at__isnull=True,
                                         deadline__status=Deadline.Status.PENDING,
                                         deadline__due_at__lt=now)
               .exclude(Exists(higher)).order_by("created_at", "id")
               .values_list("level", "rank", "created_at",
                            *(f"deadline__{name}" for name in DUE_FIELDS)))
    for level, rank, created_at, deadline_id, kind, due_at, *rest in _fetch(waiting):
        deadline = _Due(deadline_id, kind, _aware(due_at), *rest)
        created_at = _aware(created_at)
        if deadline.force_id not in repeat_after:
            policy = policy_for_force(Force.objects.get(pk=deadline.force_id))
            repeat_after[deadline.force_id] = clocks.hours(
                policy.deadlines.escalation_repeat_hours)
        if created_at + repeat_after[deadline.force_id] > now:
            continue
        above = clocks.rank_above(rank)
        if above:
            wanted.append((deadline, level + 1, above))

    _escalate_all(wanted=wanted, now=now, recipients=recipients, outbox=outbox, counts=counts)
    if outbox:
        messages = _mail(outbox)
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
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
            deadline_close(deadline=deadline, now=now, actor=actor)
        timeline_record(episode=escalation.episode, at=now, actor=actor,
                        code=TimelineEvent.Code.ESCALATION_ACKNOWLEDGED,
                        summary=f"{actor.display_with_rank} acknowledged the escalation: "
                                f"{deadline.get_kind_display().lower()}",
                        data={"escalation": escalation.pk})
    return notification


NOTE_MAX = 2000


@transaction.atomic
def notifications_acknowledge(*, actor, now: dt.datetime, notifications,
                              note: str) -> list[Notification]:
    """Acknowledge several of the actor's notifications (escalations) with one note: all or
    nothing. Refused when there are none, the note is empty, or any is someone else's or already
    acknowledged. Each episode's timeline records what was acknowledged and the note."""
    from mispers.episodes.services import episode_lock

    note = (note or "").strip()
    ids = sorted({getattr(n, "pk", n) for n in notifications})
    if not ids:
        raise AcknowledgementRefused("Select at least one escalation to acknowledge")
    if not note:
        raise AcknowledgementRefused("Enter a note saying what you have done or will do")
    if len(note) > NOTE_MAX:
        raise AcknowledgementRefused(f"The note must be {NOTE_MAX:,} characters or fewer")
    episode_ids = sorted({episode_id for episode_id in Notification.objects.filter(
        pk__in=ids).values_list("episode_id", flat=True) if episode_id}, key=str)
    episodes = {}
    for episode_id in episode_ids:  # in a fixed order, so two requests cannot deadlock
        episodes[episode_id] = episode_lock(episode=Episode(pk=episode_id))
    # Lock only the notifications: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer joins select_related adds for escalation and action.
    locked = list(Notification.objects.select_for_update(of=("self",))
                  .select_related("escalation", "escalation__deadline",
                                  "escalation__deadline__action")
                  .filter(pk__in=ids).order_by("id"))
    if len(locked) != len(ids) or any(n.recipient_id != actor.pk for n in locked):
        raise AcknowledgementRefused("Some of these notifications are addressed to someone else")
    if any(n.acknowledged_at is not None for n in locked):
        raise AcknowledgementRefused("You have already acknowledged some of these; reload the "
                                     "page and try again")
    Notification.objects.filter(pk__in=ids).update(acknowledged_at=now)
    acknowledged: dict = defaultdict(list)
    for notification in locked:
        notification.acknowledged_at = now
        escalation = notification.escalation
        if escalation is None:
            continue
        if escalation.acknowledged_at is None:
            Escalation.objects.filter(pk=escalation.pk).update(acknowledged_at=now,
                                                               acknowledged_by=actor)
        deadline = escalation.deadline
        if deadline.kind == Kind.SUPERINTENDENT_INFORMED:
            deadline_close(deadline=deadline, now=now, actor=actor)
        name = (deadline.action.title if deadline.kind == Kind.ACTION and deadline.action_id
                else deadline.get_kind_display().lower())
        acknowledged[notification.episode_id].append((escalation.pk, name))
    for episode_id, items in acknowledged.items():
        names = list(dict.fromkeys(name for _pk, name in items))
        timeline_record(episode=episodes[episode_id], at=now, actor=actor,
                        code=TimelineEvent.Code.ESCALATION_ACKNOWLEDGED,
                        summary=f"{actor.display_with_rank} acknowledged the escalation"
                                f"{'s' if len(names) > 1 else ''}: {'; '.join(names)}. "
                                f"Note: {note}",
                        data={"escalations": [pk for pk, _name in items], "note": note})
    return locked


def episodes_needing_clock() -> "list[Episode]":
    """Open episodes without a pending review deadline (must always be empty)."""
    pending = Deadline.objects.filter(episode=OuterRef("pk"), kind=Kind.REVIEW,
                                      status=Deadline.Status.PENDING)
    return list(Episode.objects.filter(state__in=[Episode.State.REPORTED, Episode.State.OPEN])
                .exclude(Exists(pending)))

"""The one place deadlines are opened, moved, met and cancelled (issue 10, ADR 6 and 28).

A deadline is a row that the sweep escalates when it passes (`reviews.escalation`); whatever the
workflow, it goes through these functions, so that "met" and "cancelled" always carry who, when
and why, and only a pending deadline can change. Their hours come from the force's policy file
(`reviews.clocks`); this module only writes the rows."""

import datetime as dt

from .models import Deadline

Status = Deadline.Status
NOTE_MAX = 300


def deadline_open(*, episode, kind: str, due_at: dt.datetime, rank: str, now: dt.datetime,
                  action=None, handover=None, note: str = "") -> Deadline:
    return Deadline.objects.create(episode=episode, kind=kind, due_at=due_at, rank=rank,
                                   action=action, handover=handover, created_at=now,
                                   note=note[:NOTE_MAX])


def pending_deadline(*, episode, kind: str) -> Deadline | None:
    # At most one is pending per kind (a constraint). No ORDER BY: sorting by due time lets
    # SQLite walk the (status, due_at) index over every pending deadline of every episode
    # instead of looking up this episode's few.
    return next(iter(Deadline.objects.filter(episode=episode, kind=kind,
                                             status=Status.PENDING).order_by()[:1]),
                None)


def _close(pending, *, now: dt.datetime, actor, status: str, note: str) -> int:
    if status not in (Status.MET, Status.CANCELLED):
        raise ValueError(f"A deadline closes as met or cancelled, not {status}")
    return pending.update(status=status, closed_at=now, closed_by=actor, note=note[:NOTE_MAX])


def deadlines_close(*, episode, kinds, now: dt.datetime, actor=None, status: str = Status.MET,
                    note: str = "") -> int:
    """Meet or cancel the pending deadlines of the given kinds on an episode."""
    return _close(Deadline.objects.filter(episode=episode, kind__in=kinds,
                                          status=Status.PENDING),
                  now=now, actor=actor, status=status, note=note)


def deadline_close(*, deadline: Deadline, now: dt.datetime, actor=None,
                   status: str = Status.MET, note: str = "") -> int:
    """Meet or cancel one deadline, if it is still pending (1), else nothing (0)."""
    return _close(Deadline.objects.filter(pk=deadline.pk, status=Status.PENDING),
                  now=now, actor=actor, status=status, note=note)


def deadlines_close_for(*, now: dt.datetime, actor=None, status: str = Status.MET,
                        note: str = "", action=None, handover=None) -> int:
    """Meet or cancel the pending deadline of an action or of a handover."""
    if (action is None) == (handover is None):
        raise ValueError("Name an action or a handover")
    owner = {"action": action} if action is not None else {"handover": handover}
    return _close(Deadline.objects.filter(status=Status.PENDING, **owner),
                  now=now, actor=actor, status=status, note=note)


def deadlines_close_all(*, episode, now: dt.datetime, actor, note: str,
                        status: str = Status.CANCELLED, keep_kinds=()) -> int:
    """Close every pending deadline of an episode but those of `keep_kinds` (closing a case keeps
    the return-home interview's, which is the local authority's duty and outlives it)."""
    return _close(Deadline.objects.filter(episode=episode, status=Status.PENDING)
                  .exclude(kind__in=keep_kinds),
                  now=now, actor=actor, status=status, note=note)


def deadline_move(*, deadline: Deadline, due_at: dt.datetime, rank: str | None = None,
                  note: str | None = None) -> int:
    """Move a pending deadline (a new grade's review interval, an earlier allocation time)."""
    changes = {"due_at": due_at}
    if rank is not None:
        changes["rank"] = rank
    if note is not None:
        changes["note"] = note[:NOTE_MAX]
    return Deadline.objects.filter(pk=deadline.pk, status=Status.PENDING).update(**changes)


def action_deadline_rank(*, action, rank: str) -> int:
    """The rank a pending action deadline escalates from follows its assignee."""
    return Deadline.objects.filter(action=action, status=Status.PENDING).update(rank=rank)

"""Deadlines whose whole point is that someone is told (issue 10): at the policy's hour, not only
once they are overdue and escalate.

"Superintendent informed": when a high-risk case reaches the policy's hour, the sweeper tells the
force's superintendents, naming the case. Telling them is what the deadline asked for, so it is
met then (the timeline says who was told). A force with no active superintendent leaves it
pending: it becomes overdue and escalates as before."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from mispers.accounts.models import User
from mispers.accounts.roles import Role
from mispers.episodes.models import TimelineEvent
from mispers.episodes.services import timeline_record

from .deadlines import deadline_close
from .models import Deadline, Notification

NOTIFICATION_KIND = "superintendent_informed"


def superintendents_informed(*, now: dt.datetime) -> int:
    """Tell the superintendents of every case whose "superintendent informed" deadline is due at
    `now`; returns how many notifications it created. Called by `escalation.sweep` first, in its
    transaction, so a deadline met here never escalates."""
    due = (Deadline.objects.filter(kind=Deadline.Kind.SUPERINTENDENT_INFORMED,
                                   status=Deadline.Status.PENDING, due_at__lte=now)
           .select_related("episode", "episode__child").order_by("due_at", "id"))
    by_force: dict[str, list[User]] = {}
    created, messages = 0, []
    for deadline in due:
        episode = deadline.episode
        if episode.force_id not in by_force:
            by_force[episode.force_id] = list(
                User.objects.filter(force_id=episode.force_id, is_active=True,
                                    roles__role=Role.SUPERINTENDENT).distinct().order_by("id"))
        people = by_force[episode.force_id]
        if not people:
            continue
        grade = (episode.current_grade or "").replace("_", " ")
        subject = (f"Superintendent informed: {episode.reference} is a {grade} risk case "
                   f"still open")[:300]
        body = (f"Case {episode.reference} reached the policy's hour for a superintendent to be "
                f"informed at {deadline.due_at:%d %b %H:%M}. Open the case to see the "
                "enquiries, the grade and who is working it.")
        Notification.objects.bulk_create(
            Notification(recipient=person, episode=episode, kind=NOTIFICATION_KIND,
                         subject=subject, body=body, created_at=now) for person in people)
        created += len(people)
        names = ", ".join(person.display_with_rank for person in people)
        deadline_close(deadline=deadline, now=now, note=f"Told: {names}")
        timeline_record(episode=episode, at=now, actor=None, code=TimelineEvent.Code.ESCALATED,
                        summary=f"Superintendent informed at the policy's hour: {names}",
                        data={"deadline": deadline.pk, "notified": [str(p.pk) for p in people]})
        messages += [(subject, f"{body}\n\nSign in to Mispers to see it.",
                      settings.DEFAULT_FROM_EMAIL, [person.email])
                     for person in people if person.email]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return created

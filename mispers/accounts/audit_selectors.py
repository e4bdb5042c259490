"""Reads of the access log for the force's data-protection lead (Data Protection Act 2018 s.62):
who looked at this child, and what this user looked at, in a period. Force-scoped: the lead sees
every row about the force's children (whoever looked, partners and other forces' refused
attempts included) and every row written by the force's own users; nothing about another force's
children. docs/adr/0019-access-log.md."""

from __future__ import annotations

import datetime as dt
import uuid

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AccessLog, User
from .roles import AUDIT_ROLES

# A CSV export holds at most this many rows; the page says so when a period has more.
EXPORT_LIMIT = 50_000


def can_audit(user) -> bool:
    """The force's data-protection lead (a force, no organisation, the role)."""
    return bool(user.is_authenticated and user.force_id and not user.organisation_id
                and user.role_codes & AUDIT_ROLES)


def _force_children(force_id):
    # The people app is above accounts: the model is looked up, not imported.
    return apps.get_model("people", "Child")._base_manager.filter(force_id=force_id)


def audit_child_find(*, auditor, text: str) -> uuid.UUID | None:
    """The child of the auditor's force named by `text`: the child's id, or the reference of one
    of their episodes (e.g. DC-2026-000123). None when there is no such child in the force."""
    text = (text or "").strip()
    if not text or not can_audit(auditor):
        return None
    try:
        child_id = uuid.UUID(text)
    except ValueError:
        episodes = apps.get_model("episodes", "Episode")._base_manager
        child_id = (episodes.filter(reference__iexact=text, force_id=auditor.force_id)
                    .values_list("child_id", flat=True).first())
        return child_id
    return child_id if _force_children(auditor.force_id).filter(pk=child_id).exists() else None


def audit_subject_find(*, auditor, username: str) -> User | None:
    """A user whose reads the auditor may see: one of the force's users, or a partner user
    (whose rows about the force's children are shown)."""
    username = (username or "").strip()
    if not username or not can_audit(auditor):
        return None
    return (User.objects.filter(username__iexact=username)
            .filter(Q(force_id=auditor.force_id) | Q(organisation__isnull=False)).first())


def _period(qs: QuerySet, since: dt.date | None, until: dt.date | None) -> QuerySet:
    zone = timezone.get_current_timezone()
    if since:
        qs = qs.filter(at__gte=dt.datetime.combine(since, dt.time.min, tzinfo=zone))
    if until:
        qs = qs.filter(at__lt=dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min,
                                                  tzinfo=zone))
    return qs


def access_log_of_child(*, auditor, child_id, since: dt.date | None = None,
                        until: dt.date | None = None) -> QuerySet[AccessLog]:
    """Every access-log row about one child of the auditor's force, newest first."""
    if not can_audit(auditor) or not _force_children(auditor.force_id).filter(
            pk=child_id).exists():
        return AccessLog.objects.none()
    return _period(AccessLog.objects.filter(child_id=child_id), since, until).select_related(
        "user", "force").order_by("-at", "-id")


def access_log_of_user(*, auditor, subject: User, since: dt.date | None = None,
                       until: dt.date | None = None) -> QuerySet[AccessLog]:
    """What `subject` looked at (or was refused): rows written in the auditor's force, and rows
    about the force's children, newest first."""
    if not can_audit(auditor):
        return AccessLog.objects.none()
    rows = AccessLog.objects.filter(user=subject).filter(
        Q(force_id=auditor.force_id)
        | Q(child_id__in=_force_children(auditor.force_id).values("pk")))
    return _period(rows, since, until).select_related("user", "force").order_by("-at", "-id")

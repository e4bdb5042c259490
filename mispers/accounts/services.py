"""Writes for forces, users and the access log."""

import csv
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import AccessLog, Force, User, UserRole
from .roles import PARTNER_ROLES, Rank, Role


@transaction.atomic
def forces_load(*, path: Path | None = None) -> int:
    """Create or update the 43 forces from the CSV. Idempotent; returns how many rows it read."""
    path = path or settings.FORCES_CSV
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        Force.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "country": row["country"]}
        )
    return len(rows)


@transaction.atomic
def user_create(
    *, username: str, password: str | None, force: Force | None, roles: Iterable[str],
    rank: str = Rank.STAFF, first_name: str = "", last_name: str = "", email: str = "",
    organisation=None, actor: User | None = None,
) -> User:
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValueError(f"Unknown role(s): {', '.join(sorted(unknown))}")
    # A user is police (a force, police roles) or a partner (an organisation, partner roles),
    # never both: partner scoping relies on it.
    if organisation is not None and (force is not None or set(roles) - PARTNER_ROLES):
        raise ValueError("A partner user has an organisation and partner roles only")
    if set(roles) & PARTNER_ROLES and organisation is None:
        raise ValueError("Partner roles need an organisation")
    if rank not in Rank.values:
        raise ValueError(f"Unknown rank: {rank}")
    user = User(username=username, force=force, rank=rank, first_name=first_name,
                last_name=last_name, email=email, organisation=organisation)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    if actor is not None:
        user._history_user = actor  # the account's history names who created it
    user.save()
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in sorted(set(roles))])
    return user


def access_log_record(*, user: User, now, channel: str, object_type: str, object_id,
                      child_id=None, path: str = "") -> AccessLog:
    """Record that `user` viewed a child's record. Called by every page, API view and export
    that shows a child or an episode. Not atomic on purpose: it joins the caller's transaction."""
    return AccessLog.objects.create(
        at=now, user=user, force_id=user.force_id, channel=channel, object_type=object_type,
        object_id=str(object_id), child_id=child_id, path=path[:500],
    )

"""Writes for forces, users and the access log."""

import csv
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from .models import AccessLog, Force, User, UserRole
from .roles import NATIONAL_ROLES, PARTNER_ROLES, Rank, Role


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


NATIONAL_ONLY = ("The national unit's users belong to no force or organisation and hold the "
                 "national unit's role only")


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
    if set(roles) & NATIONAL_ROLES and (force is not None or organisation is not None
                                        or set(roles) - NATIONAL_ROLES):
        raise ValueError(NATIONAL_ONLY)
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
    # Each role granted gets its history row (who gave it, when), as later grants do.
    bulk_create_with_history([UserRole(user=user, role=role) for role in sorted(set(roles))],
                             UserRole, default_user=actor)
    return user


def _check_role_for(user: User, role: str) -> None:
    if role not in Role.values:
        raise ValueError(f"Unknown role: {role}")
    partner = user.organisation_id is not None
    if partner != (role in PARTNER_ROLES):
        raise ValueError("A partner user has partner roles only, a police user police roles only")
    if (role in NATIONAL_ROLES) != (user.force_id is None and not partner):
        raise ValueError(NATIONAL_ONLY)


@transaction.atomic
def user_role_grant(*, actor: User | None, user: User, role: str, now=None) -> UserRole:
    """Give `user` a role; idempotent. The grant is recorded in the role's history with who
    gave it and when (Data Protection Act 2018 s.62: who could see what, when)."""
    _check_role_for(user, role)
    existing = UserRole.objects.filter(user=user, role=role).first()
    if existing is not None:
        return existing
    grant = UserRole(user=user, role=role)
    grant._history_user = actor
    if now is not None:
        grant._history_date = now
    grant.save()
    user.__dict__.pop("_role_codes", None)
    return grant


@transaction.atomic
def user_role_remove(*, actor: User | None, user: User, role: str, now=None) -> bool:
    """Take a role from `user`; the removal stays in the role's history. False if they did not
    have it."""
    grant = UserRole.objects.filter(user=user, role=role).first()
    if grant is None:
        return False
    grant._history_user = actor
    if now is not None:
        grant._history_date = now
    grant.delete()
    user.__dict__.pop("_role_codes", None)
    return True


def access_log_record(*, user: User, now, channel: str, object_type: str, object_id,
                      child_id=None, path: str = "", client_address: str | None = None,
                      outcome: str = AccessLog.Outcome.SHOWN) -> AccessLog:
    """Record that `user` viewed (or was refused) one child's record. Not atomic on purpose: it
    joins the caller's transaction. Pages and API views use `access_log_children` through
    mispers.accounts.audit, which also fills in the client's address."""
    (row,) = access_log_children(user=user, now=now, channel=channel, object_type=object_type,
                                 rows=[(object_id, child_id)], path=path,
                                 client_address=client_address, outcome=outcome)
    return row


def access_log_children(*, user: User, now, channel: str, object_type: str | None,
                        rows: Iterable, path: str = "", client_address: str | None = None,
                        outcome: str = AccessLog.Outcome.SHOWN) -> list[AccessLog]:
    """One access-log row per record shown, in one INSERT (Data Protection Act 2018 s.62).

    `rows` holds what was shown: a child or an episode (any model instance: a child is its own
    child, anything else names its child by `child_id`), or `(object_id, child_id)` pairs.
    `object_type` None takes each instance's model name. Repeats are written once. Not atomic
    on purpose: it joins the caller's transaction."""
    if channel not in AccessLog.Channel.values:
        raise ValueError(f"Unknown access-log channel: {channel}")
    if outcome not in AccessLog.Outcome.values:
        raise ValueError(f"Unknown access-log outcome: {outcome}")
    seen: set[tuple[str, str, str]] = set()
    entries: list[AccessLog] = []
    for item in rows:
        kind, object_id, child_id = _access_log_item(item, object_type)
        key = (kind, str(object_id), str(child_id))
        if key in seen:
            continue
        seen.add(key)
        entries.append(AccessLog(
            at=now, user=user, force_id=user.force_id, channel=channel, object_type=kind,
            object_id=str(object_id)[:64], child_id=child_id, path=(path or "")[:500],
            client_address=client_address or None, outcome=outcome))
    return AccessLog.objects.bulk_create(entries) if entries else []


def _access_log_item(item, object_type: str | None) -> tuple[str, object, object]:
    if isinstance(item, tuple):
        object_id, child_id = item
        return object_type or "child", object_id, child_id
    meta = getattr(item, "_meta", None)
    if meta is None:  # a bare child id
        return object_type or "child", item, item
    kind = object_type or meta.model_name
    if meta.label_lower == "people.child":
        return kind, item.pk, item.pk
    return kind, item.pk, getattr(item, "child_id", None)

"""Sign-in lockout (django-axes): who the client is, who is locked out, and clearing a lockout.

django-axes keeps one AccessAttempt row per (username, address, browser) with a failure count,
and an AccessFailureLog row per failed attempt. A username is locked while its rows add up to
AXES_FAILURE_LIMIT failures within the cool-off time; so is an address (ADR 16).
"""

import datetime as dt
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum

from mispers.core.errors import PermissionDenied

from .models import User


def client_address(request) -> str | None:
    """The client's address: the socket's, or, behind MISPERS_TRUSTED_PROXY_COUNT reverse
    proxies, the address the outermost trusted proxy saw (X-Forwarded-For is appended to by
    each proxy, so only the last N entries can be trusted)."""
    proxies = getattr(settings, "MISPERS_TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in
                     request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def normalise_username(username: str | None) -> str | None:
    if username is None:
        return None
    return username.strip().lower()[:255] or None


def username_from_request(request, credentials=None) -> str | None:
    """The username a sign-in attempt names, lower-cased so "Officer" and "officer" share one
    counter. allauth's form posts it as "login"; Django's admin as "username"."""
    if credentials:
        username = credentials.get("username") or credentials.get("login")
    else:
        data = getattr(request, "POST", {}) or {}
        username = data.get("login") or data.get("username")
    return normalise_username(username)


def _cool_off_start(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)


@dataclass(frozen=True)
class Lockout:
    kind: str  # "username" or "address"
    value: str
    failures: int
    last_attempt: dt.datetime
    locked: bool
    user: User | None = None


def _managed_users(admin: User):
    """The users whose lockouts an administrator may see and clear: a force administrator's own
    force, a partner administrator's own organisation. Nobody else's."""
    codes = admin.role_codes
    if admin.organisation_id and "partner_admin" in codes:
        return User.objects.filter(organisation_id=admin.organisation_id)
    if admin.force_id and not admin.organisation_id and "force_admin" in codes:
        return User.objects.filter(force_id=admin.force_id)
    return None


def can_manage_lockouts(admin: User) -> bool:
    return bool(admin.is_authenticated and _managed_users(admin) is not None)


def lockouts_visible_to(*, admin: User, now: dt.datetime) -> list[Lockout]:
    """Usernames of the administrator's users with failed sign-ins in the cool-off window, most
    failures first, and whether each is locked now."""
    users = _managed_users(admin)
    if users is None:
        return []
    by_name = {user.username.lower(): user for user in users.only(
        "id", "username", "first_name", "last_name", "force_id", "organisation_id", "rank")}
    rows = (AccessAttempt.objects.filter(username__in=list(by_name),
                                         attempt_time__gte=_cool_off_start(now))
            .values("username").annotate(failures=Sum("failures_since_start"),
                                         last=Max("attempt_time"))
            .order_by("-failures", "username"))
    limit = settings.AXES_FAILURE_LIMIT
    return [Lockout(kind="username", value=row["username"], failures=row["failures"],
                    last_attempt=row["last"], locked=row["failures"] >= limit,
                    user=by_name[row["username"]]) for row in rows]


def failed_sign_ins_visible_to(*, admin: User, limit: int = 100):
    """The latest failed sign-ins naming the administrator's users (kept whatever the lockout)."""
    users = _managed_users(admin)
    if users is None:
        return AccessFailureLog.objects.none()
    names = [name.lower() for name in users.values_list("username", flat=True)]
    return AccessFailureLog.objects.filter(username__in=names).order_by("-attempt_time")[:limit]


@transaction.atomic
def lockout_clear(*, actor: User, username: str, now: dt.datetime) -> int:
    """Clear the failed sign-ins counted against one of the actor's users, so they can sign in
    again at once. The failure log is kept. Returns how many counters were removed."""
    users = _managed_users(actor)
    name = normalise_username(username)
    if users is None or name is None or not any(
            u.lower() == name for u in users.values_list("username", flat=True)):
        raise PermissionDenied("You can only clear lockouts of your own users.")
    count, _ = AccessAttempt.objects.filter(username=name).delete()
    return count

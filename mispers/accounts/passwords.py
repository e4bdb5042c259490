"""Writes about passwords: a first password set by an administrator, and its change (ADR 16)."""

import datetime as dt

from django.db import transaction

from .models import User


@transaction.atomic
def password_change_required(*, user: User, actor: User | None) -> User:
    """A password chosen by someone else (an administrator) must be changed by its user at
    their next sign-in before anything else opens."""
    user.must_change_password = True
    if actor is not None:
        user._history_user = actor
    user.save(update_fields=["must_change_password"])
    return user


@transaction.atomic
def password_changed(*, user: User, now: dt.datetime) -> User:
    """The user chose their own password: the first-password gate opens."""
    user.must_change_password = False
    user.password_changed_at = now
    user._history_user = user
    user.save(update_fields=["must_change_password", "password_changed_at"])
    return user

"""Withdraw a report made in error: the workflow (issue 10, ADR 22). One app's change today —
the episode leaves every clock, handover and repeat count through `returns.services
.withdrawal_save` — but pages and the API call it here, beside the other workflows that end a
case, so that whatever withdrawal sets in motion later is added in one place."""

import datetime as dt

from django.db import transaction

from mispers.episodes.models import Episode
from mispers.returns.services import withdrawal_save


@transaction.atomic
def episode_withdraw(*, actor, now: dt.datetime, episode: Episode, reason: str,
                     expected_version: int | None = None) -> Episode:
    return withdrawal_save(actor=actor, now=now, episode=episode, reason=reason,
                           expected_version=expected_version)

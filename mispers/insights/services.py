"""Writes of the insight pages: the finding on a possibly miscategorised episode."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction

from mispers.core.errors import DomainError
from mispers.episodes.models import Episode

from .models import GradingFinding
from .permissions import can_review_grading


class FindingInvalid(DomainError):
    """The finding cannot be recorded as given."""


@transaction.atomic
def grading_finding_record(*, actor, now: dt.datetime, episode: Episode, finding: str,
                           note: str = "") -> GradingFinding:
    """Record (or revise) the finding on an episode graded no apparent risk or low where later
    information showed a high-risk factor. The history keeps a revised finding's first
    version."""
    if not can_review_grading(actor) or actor.force_id != episode.force_id:
        raise PermissionDenied("Only the coordinator, inspectors and superintendents of the "
                               "force record grading findings")
    if finding not in GradingFinding.Finding.values:
        raise FindingInvalid("Choose a finding", field="finding")
    if finding != GradingFinding.Finding.RIGHT and not note.strip():
        raise FindingInvalid("Say what was wrong", field="note")
    record = (GradingFinding.objects.select_for_update().filter(episode=episode).first()
              or GradingFinding(episode=episode))
    record.finding, record.note = finding, note.strip()
    record.reviewed_by, record.reviewed_at = actor, now
    record.stamp(actor=actor, now=now)
    record.save()
    return record

"""A supervisory review, with or without a re-grade: the workflow, in order and in one
transaction. A re-grade is a new assessment through the grade workflow (`casework.grade`), made
first so that the review records the grade it set; the review then works on the episode as the
assessment left it (its row lock is held throughout, ADR 20)."""

import datetime as dt
from collections.abc import Mapping

from django.db import transaction

from mispers.episodes.models import Episode
from mispers.reviews.models import Review
from mispers.reviews.services import review_save
from mispers.risk.services import AnswerInput

from .grade import assessment_record


@transaction.atomic
def review_complete(*, actor, now: dt.datetime, episode: Episode, notes: str,
                    next_actions: str = "", expected_version: int | None = None) -> Review:
    """Record a review that keeps the grade: the review, its next actions and the next review's
    clock (`reviews.services.review_complete`)."""
    return review_save(actor=actor, now=now, episode=episode, notes=notes,
                       next_actions=next_actions, expected_version=expected_version)


@transaction.atomic
def review_with_regrade(*, actor, now: dt.datetime, episode: Episode, notes: str,
                        answers: Mapping[str, AnswerInput], chosen_grade: str,
                        rationale: str = "", next_actions: str = "",
                        expected_version: int | None = None) -> Review:
    """A review that re-grades: the new assessment (with its clocks) and the review are saved
    together or not at all. The assessment checks the version under the episode's row lock."""
    assessment = assessment_record(actor=actor, now=now, episode=episode, answers=answers,
                                   chosen_grade=chosen_grade, rationale=rationale,
                                   expected_version=expected_version)
    return review_save(actor=actor, now=now, episode=episode, notes=notes,
                       next_actions=next_actions, assessment=assessment)

"""Grade an episode, and decide on a downgrade: the workflows, in order and in one transaction.

Grading: the assessment and the episode's grade (`risk.services.assessment_save`), then the clocks
and standard actions of the grade that now governs (`reviews.services.clocks_on_grade`): the
recommended grade while a downgrade waits for ratification, the chosen one otherwise.

Ratifying a downgrade: the decision with its written reason (ADR 22), and, when the assessment
is the episode's latest and the case still open, the chosen grade and its clocks. Declining
leaves the recommended grade and its clocks in force."""

import datetime as dt
from collections.abc import Mapping

from django.db import transaction

from mispers.episodes.models import Episode
from mispers.reviews.services import clocks_on_grade
from mispers.risk.models import Assessment
from mispers.risk.selectors import assessment_governs
from mispers.risk.services import (
    AnswerInput,
    assessment_decline_save,
    assessment_ratify_save,
    assessment_save,
)


@transaction.atomic
def assessment_record(*, actor, now: dt.datetime, episode: Episode,
                      answers: Mapping[str, AnswerInput], chosen_grade: str, rationale: str = "",
                      expected_version: int | None = None) -> Assessment:
    """Grade (or re-grade) an episode under its force's policy and set the clocks."""
    assessment = assessment_save(actor=actor, now=now, episode=episode, answers=answers,
                                 chosen_grade=chosen_grade, rationale=rationale,
                                 expected_version=expected_version)
    clocks_on_grade(episode=assessment.episode, actor=actor, now=now,
                    grade=assessment.effective_grade)
    return assessment


@transaction.atomic
def assessment_ratify(*, actor, now: dt.datetime, assessment: Assessment,
                      note: str) -> Assessment:
    """Accept a downgrade, with a reason: the chosen grade and its clocks now govern."""
    assessment = assessment_ratify_save(actor=actor, now=now, assessment=assessment, note=note)
    if assessment_governs(assessment):
        clocks_on_grade(episode=assessment.episode, actor=actor, now=now,
                        grade=assessment.effective_grade)
    return assessment


@transaction.atomic
def assessment_decline(*, actor, now: dt.datetime, assessment: Assessment,
                       note: str) -> Assessment:
    """Refuse a downgrade, with a reason: the recommended grade and its clocks stay."""
    return assessment_decline_save(actor=actor, now=now, assessment=assessment, note=note)

"""Writes for risk assessments: record an assessment, ratify or decline a downgrade."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction

from mispers.core.errors import DomainError
from mispers.episodes.models import Episode, TimelineEvent
from mispers.episodes.services import episode_lock, episode_touch, timeline_record
from mispers.risk import policy as risk_policy

from .models import Assessment, FactorAnswer
from .permissions import can_ratify
from .selectors import (  # noqa: F401 (policy_for_force re-exported)
    assessment_context_for,
    assessment_governs,
    policy_for_force,
)


class AssessmentInvalid(DomainError):
    """The assessment cannot be recorded as given."""


class RatificationRefused(DomainError):
    """This user may not ratify (or decline) this assessment."""


@dataclass(frozen=True)
class AnswerInput:
    answer: str = "unknown"
    source: str = ""
    obtained_at: dt.datetime | None = None
    note: str = ""


def grade_label(*, policy, grade: str) -> str:
    return policy.labels.get(grade, grade)


def _check_answers(answers: Mapping[str, AnswerInput], *, now: dt.datetime) -> None:
    unknown = sorted(set(answers) - set(risk_policy.FACTORS))
    if unknown:
        raise AssessmentInvalid(f"Unknown risk factor: {', '.join(unknown)}", field="answers")
    for code, given in answers.items():
        if given.answer not in risk_policy.ANSWERS:
            raise AssessmentInvalid(
                f"Answer for {code} must be yes, no or unknown, not {given.answer!r}",
                field=code)
        if given.obtained_at is not None and given.obtained_at > now:
            raise AssessmentInvalid(f"The time the answer for {code} was obtained cannot be in "
                                    "the future", field=code)
    other = answers.get("other")
    if other is not None and other.answer == "yes" and not other.note.strip():
        raise AssessmentInvalid("Say what the other risk is", field="other")


@transaction.atomic
def assessment_save(
    *, actor, now: dt.datetime, episode: Episode, answers: Mapping[str, AnswerInput],
    chosen_grade: str, rationale: str = "", expected_version: int | None = None,
) -> Assessment:
    """Grade an episode under its force's policy. A re-grade is always a new assessment. Only the
    assessment and the episode's grade: the grade workflow (`mispers.casework.grade`) sets the
    clocks of the grade that now governs."""
    # Lock and re-read first (ADR 20): a parallel assessment waits, then numbers after this one.
    episode = episode_lock(episode=episode, expected_version=expected_version)
    if not episode.is_open:
        state = episode.get_state_display().lower()
        raise AssessmentInvalid(f"Episode {episode.reference} is {state}: it cannot be assessed")
    _check_answers(answers, now=now)
    policy = policy_for_force(episode.force)
    context = assessment_context_for(episode=episode, now=now)
    all_answers = {code: answers.get(code, AnswerInput()) for code in risk_policy.FACTORS}
    recommendation = risk_policy.recommend(
        {code: given.answer for code, given in all_answers.items()}, context, policy)
    try:
        outcome = risk_policy.evaluate_choice(recommendation=recommendation, chosen=chosen_grade,
                                              rationale=rationale, policy=policy)
    except risk_policy.ChoiceError as exc:
        field = "rationale" if isinstance(exc, risk_policy.RationaleRequiredError) else "grade"
        message = str(exc)
        raise AssessmentInvalid(message[:1].upper() + message[1:], field=field) from exc

    sequence = episode.assessments.count() + 1
    assessment = Assessment(
        episode=episode, sequence=sequence, assessed_at=now, assessed_by=actor,
        assessor_rank=actor.rank, age_at_report=context.age, looked_after=context.looked_after,
        missing_from=context.missing_from, earlier_episodes_90d=context.earlier_episodes_90d,
        exploitation_marker=context.exploitation_marker,
        linked_to_exploitation_hub=context.linked_to_exploitation_hub,
        policy_name=recommendation.policy,
        policy_version=recommendation.policy_version, recommended_grade=recommendation.grade,
        reasons=[{"rule": r.rule, "grade": r.grade, "text": r.text}
                 for r in recommendation.reasons],
        chosen_grade=chosen_grade, rationale=rationale.strip(), status=outcome.status,
        required_rank=outcome.required_rank or "",
    )
    assessment.stamp(actor=actor, now=now)
    assessment.save()
    FactorAnswer.objects.bulk_create([
        FactorAnswer(assessment=assessment, factor=code, answer=given.answer,
                     source=given.source.strip(), obtained_at=given.obtained_at or now,
                     note=given.note.strip())
        for code, given in all_answers.items()
    ])
    episode_touch(episode=episode, actor=actor, now=now, expected_version=expected_version,
                  transition="grade", current_grade=assessment.effective_grade)
    label = grade_label(policy=policy, grade=chosen_grade)
    timeline_record(
        episode=episode, at=now, actor=actor, code=TimelineEvent.Code.ASSESSED,
        summary=f"Assessment {sequence}: recommended {recommendation.grade.replace('_', ' ')}, "
                f"graded {chosen_grade.replace('_', ' ')} ({label}) under {policy.name} "
                f"policy {policy.version}",
        data={"assessment": str(assessment.pk), "recommended": recommendation.grade,
              "chosen": chosen_grade, "reasons": recommendation.reason_texts},
    )
    if assessment.status == Assessment.Status.PENDING:
        timeline_record(
            episode=episode, at=now, actor=actor,
            code=TimelineEvent.Code.RATIFICATION_REQUESTED,
            summary=f"Grade below the recommendation: ratification by "
                    f"{_with_article(assessment.required_rank)} or above is needed. Until then the "
                    f"{recommendation.grade.replace('_', ' ')} grade applies. "
                    f"Rationale: {assessment.rationale}",
            data={"assessment": str(assessment.pk), "required_rank": assessment.required_rank},
        )
    return assessment


def _with_article(rank: str) -> str:
    return f"an {rank}" if rank[:1] in "aeiou" else f"a {rank}"


def _check_ratifier(*, actor, assessment: Assessment) -> None:
    if assessment.episode.force_id != actor.force_id:
        raise RatificationRefused("Assessment not found")
    if assessment.status != Assessment.Status.PENDING:
        raise RatificationRefused("This assessment is not waiting for ratification")
    if assessment.assessed_by_id == actor.pk:
        raise RatificationRefused("You chose this grade: someone else must ratify it")
    if not can_ratify(actor, assessment):
        raise RatificationRefused(
            f"Only {_with_article(assessment.required_rank)} or above may ratify this grade")


def _decide(*, actor, now: dt.datetime, assessment: Assessment, status: str,
            note: str) -> Assessment:
    """Record a supervisor's decision on a pending downgrade (who, rank, when, why). Both
    decisions need a written reason: a ratified downgrade is the one the record must explain
    (ADR 22)."""
    episode_lock(episode=assessment.episode)  # the episode first, as every service (ADR 20)
    assessment = Assessment.objects.select_for_update().select_related("episode").get(
        pk=assessment.pk)
    _check_ratifier(actor=actor, assessment=assessment)
    if not note.strip():
        raise RatificationRefused(
            "Say why the grade is ratified" if status == Assessment.Status.RATIFIED
            else "Say why the grade is not ratified", field="note")
    assessment.status = status
    assessment.ratified_by = actor
    assessment.ratified_rank = actor.rank
    assessment.ratified_at = now
    assessment.ratification_note = note.strip()
    assessment.stamp(actor=actor, now=now)
    assessment.save()
    return assessment


@transaction.atomic
def assessment_ratify_save(*, actor, now: dt.datetime, assessment: Assessment,
                           note: str) -> Assessment:
    """Accept a downgrade: the chosen grade becomes the episode's (if this is the latest
    assessment and the episode is open; `assessment_governs`). The ratify workflow
    (`mispers.casework.grade`) then sets that grade's clocks."""
    assessment = _decide(actor=actor, now=now, assessment=assessment,
                         status=Assessment.Status.RATIFIED, note=note)
    episode = assessment.episode
    if assessment_governs(assessment):
        episode_touch(episode=episode, actor=actor, now=now,
                      current_grade=assessment.effective_grade)
    timeline_record(
        episode=episode, at=now, actor=actor, code=TimelineEvent.Code.RATIFIED,
        summary=f"{actor.display_with_rank} ratified the grade "
                f"{assessment.chosen_grade.replace('_', ' ')} of assessment "
                f"{assessment.sequence}" + (f": {assessment.ratification_note}"
                                            if assessment.ratification_note else ""),
        data={"assessment": str(assessment.pk)},
    )
    return assessment


@transaction.atomic
def assessment_decline_save(*, actor, now: dt.datetime, assessment: Assessment,
                            note: str) -> Assessment:
    """Refuse a downgrade: the recommended grade stays in force."""
    assessment = _decide(actor=actor, now=now, assessment=assessment,
                         status=Assessment.Status.DECLINED, note=note)
    timeline_record(
        episode=assessment.episode, at=now, actor=actor,
        code=TimelineEvent.Code.RATIFICATION_DECLINED,
        summary=f"{actor.display_with_rank} declined to ratify assessment "
                f"{assessment.sequence}; the {assessment.recommended_grade.replace('_', ' ')} "
                f"grade stays: {assessment.ratification_note}",
        data={"assessment": str(assessment.pk)},
    )
    return assessment

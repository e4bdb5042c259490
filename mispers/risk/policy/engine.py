"""The grading engine: pure functions of the answers, the context and a loaded policy.

No database, no clock, no I/O: the same input always gives the same recommendation.
"""

from __future__ import annotations

from collections.abc import Mapping

from .errors import (
    BelowPolicyMinimumError,
    NoApparentRiskForbiddenError,
    PolicyInputError,
    PolicyMismatchError,
    RationaleRequiredError,
)
from .model import (
    ANSWERS,
    GRADES,
    ChoiceOutcome,
    Context,
    Policy,
    Reason,
    Recommendation,
    grade_rank,
    rank_at_least,
)

NO_APPARENT_RISK = GRADES[0]
NO_RULE_APPLIES = Reason(
    rule="no_rule_applies",
    grade=NO_APPARENT_RISK,
    text="No risk indicators present: no rule raises the grade",
)


def check_answers(answers: Mapping[str, str], policy: Policy) -> None:
    """Raise PolicyInputError unless every key is a factor code and every value an answer."""
    floor_of = policy.compiled.floor_of
    for code, value in answers.items():
        if code not in floor_of:
            raise PolicyInputError(
                f"unknown factor {code!r}: the factors are {', '.join(floor_of)}"
            )
        if value not in ANSWERS:
            raise PolicyInputError(
                f"unknown answer {value!r} for {code}: answer one of {', '.join(ANSWERS)}"
            )


def recommend(answers: Mapping[str, str], context: Context, policy: Policy) -> Recommendation:
    """The recommended grade and every rule that fired, highest first (DOMAIN.md section 4).

    A factor missing from `answers` counts as "unknown": absence of information is not
    absence of risk.
    """
    compiled = policy.compiled
    floor_of = compiled.floor_of
    for code, value in answers.items():
        if code not in floor_of or value not in ANSWERS:
            check_answers(answers, policy)
    yes: tuple[list[str], ...] = ([], [], [], [])
    unknown: tuple[list[str], ...] = ([], [], [], [])
    answer_of = answers.get
    for code, rank in compiled.factor_ranks:
        answer = answer_of(code, "unknown")
        if answer == "yes":
            yes[rank].append(code)
        elif answer == "unknown":
            unknown[rank].append(code)
    reasons: list[Reason] = []
    for check in compiled.rule_checks:
        fired = check(context, yes, unknown)
        if fired:
            reasons.extend(fired)
    if not reasons:
        return Recommendation(NO_APPARENT_RISK, (NO_RULE_APPLIES,), policy.name, policy.version)
    # Checks run highest grade first, so the first reason carries the recommended grade.
    return Recommendation(reasons[0].grade, tuple(reasons), policy.name, policy.version)


def evaluate_choice(
    *, recommendation: Recommendation, chosen: str, rationale: str, policy: Policy
) -> ChoiceOutcome:
    """What happens to the grade an officer chose, given the recommendation.

    At or above the recommendation: accepted. Below it: a written rationale is required and the
    choice waits for ratification by the policy's ratification rank (a higher one when the
    recommendation is high). "No apparent risk" is refused while a high-risk rule applies, and
    any grade below the policy's minimum (e.g. an overlay that never uses it) is refused.
    """
    chosen_rank = grade_rank(chosen)
    if (recommendation.policy, recommendation.policy_version) != (policy.name, policy.version):
        raise PolicyMismatchError(
            f"the recommendation was made under {recommendation.policy} "
            f"{recommendation.policy_version}, not {policy.name} {policy.version}"
        )
    recommended_rank = grade_rank(recommendation.grade)
    if chosen == NO_APPARENT_RISK and recommended_rank == grade_rank("high"):
        high = [reason.text for reason in recommendation.reasons if reason.grade == "high"]
        raise NoApparentRiskForbiddenError(
            "no apparent risk cannot be chosen while a high-risk rule applies: " + "; ".join(high)
        )
    if chosen_rank < grade_rank(policy.minimum_grade):
        error = NoApparentRiskForbiddenError if chosen == NO_APPARENT_RISK else (
            BelowPolicyMinimumError
        )
        raise error(
            f"{policy.title} never grades a child below {policy.minimum_grade}: "
            f"{chosen} cannot be chosen"
        )
    if chosen_rank >= recommended_rank:
        return ChoiceOutcome("accepted", None)
    if not isinstance(rationale, str) or not rationale.strip():
        raise RationaleRequiredError(
            f"{chosen} is below the recommended {recommendation.grade}: "
            "write a rationale explaining why"
        )
    return ChoiceOutcome(
        "pending_ratification", policy.required_ratification_rank(recommendation.grade)
    )


def can_ratify(*, rank: str, outcome_required_rank: str | None) -> bool:
    """True when an officer of `rank` may ratify a choice that needs `outcome_required_rank`.

    False when nothing awaits ratification (`outcome_required_rank` is None).
    """
    if outcome_required_rank is None:
        return False
    return rank_at_least(rank, outcome_required_rank)

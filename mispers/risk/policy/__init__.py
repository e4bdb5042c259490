"""The risk-grading policy engine: pure functions over policies kept as data files.

    policy = load_policy("dorset")
    recommendation = recommend(answers, Context(...), policy)
    outcome = evaluate_choice(recommendation=recommendation, chosen="low",
                              rationale="...", policy=policy)

The rules are in mispers/risk/policies/*.toml; docs/policy.md describes them in words and is
generated from them (`mispers policy_docs --write`).
"""

from .cases import Case, grade_case, parse_case
from .engine import NO_RULE_APPLIES, can_ratify, check_answers, evaluate_choice, recommend
from .errors import (
    BelowPolicyMinimumError,
    ChoiceError,
    GradeForbiddenError,
    NoApparentRiskForbiddenError,
    OverlayError,
    PolicyError,
    PolicyFileError,
    PolicyInputError,
    PolicyMismatchError,
    RationaleRequiredError,
    UnknownGradeError,
    UnknownPolicyError,
    UnknownRankError,
)
from .loader import known_force_codes, load_policy, load_policy_file, shipped_overlays
from .model import (
    ANSWERS,
    GRADES,
    MISSING_FROM,
    NATIONAL,
    RANKS,
    Action,
    ChoiceOutcome,
    Context,
    Deadlines,
    Factor,
    GradeClock,
    Policy,
    Ratification,
    Reason,
    Recommendation,
    Rule,
    Thresholds,
    grade_rank,
    rank_at_least,
)

FACTORS: dict[str, Factor] = dict(load_policy(NATIONAL).factor_index)
"""The national questionnaire, in the order of DOMAIN.md section 4."""

__all__ = [
    "ANSWERS",
    "FACTORS",
    "GRADES",
    "MISSING_FROM",
    "NATIONAL",
    "NO_RULE_APPLIES",
    "RANKS",
    "Action",
    "BelowPolicyMinimumError",
    "Case",
    "ChoiceError",
    "ChoiceOutcome",
    "Context",
    "Deadlines",
    "Factor",
    "GradeClock",
    "GradeForbiddenError",
    "NoApparentRiskForbiddenError",
    "OverlayError",
    "Policy",
    "PolicyError",
    "PolicyFileError",
    "PolicyInputError",
    "PolicyMismatchError",
    "Ratification",
    "RationaleRequiredError",
    "Reason",
    "Recommendation",
    "Rule",
    "Thresholds",
    "UnknownGradeError",
    "UnknownPolicyError",
    "UnknownRankError",
    "can_ratify",
    "check_answers",
    "evaluate_choice",
    "grade_case",
    "grade_rank",
    "known_force_codes",
    "load_policy",
    "load_policy_file",
    "parse_case",
    "rank_at_least",
    "recommend",
    "shipped_overlays",
]

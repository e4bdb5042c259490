"""The vocabulary of the grading policy and the value objects the engine takes and returns.

Everything here is immutable. A `Policy` is built by `loader.py` from the data files in
`mispers/risk/policies/`; nothing else should construct one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .errors import PolicyInputError, UnknownGradeError, UnknownRankError

NATIONAL = "national"
"""The name of the national policy; every other policy is a force overlay on it."""

GRADES = ("no_apparent_risk", "low", "medium", "high")
"""The national grades, lowest first (DOMAIN.md section 3)."""

ANSWERS = ("yes", "no", "unknown")
MISSING_FROM = ("home", "care", "school", "hospital", "other")
RANKS = ("call_handler", "officer", "sergeant", "inspector", "superintendent")
"""Ranks in order, for ratification and review: a later rank may do what an earlier one may."""

FACTOR_FLOORS = ("low", "medium", "high")
"""The floors a question may carry: a factor answered yes never grades no apparent risk."""

CHILD_AGE_LIMIT = 18

_GRADE_RANK = {grade: index for index, grade in enumerate(GRADES)}
_RANK_ORDER = {rank: index for index, rank in enumerate(RANKS)}


def grade_rank(grade: str) -> int:
    """The position of `grade` in GRADES (no_apparent_risk is 0, high is 3)."""
    try:
        return _GRADE_RANK[grade]
    except (KeyError, TypeError):
        raise UnknownGradeError(
            f"unknown grade {grade!r}: the grades are {', '.join(GRADES)}"
        ) from None


def rank_order(rank: str) -> int:
    """The position of `rank` in RANKS."""
    try:
        return _RANK_ORDER[rank]
    except (KeyError, TypeError):
        raise UnknownRankError(f"unknown rank {rank!r}: the ranks are {', '.join(RANKS)}") from None


def rank_at_least(rank: str, required: str) -> bool:
    """True when `rank` is `required` or above it."""
    return rank_order(rank) >= rank_order(required)


def _is_whole_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True, slots=True)
class Factor:
    """One question of the national questionnaire and the floor it sets when answered yes."""

    code: str
    question: str
    floor: str


@dataclass(frozen=True, slots=True)
class Context:
    """What the policy knows about the child besides the answers. Validated on construction."""

    age: int
    looked_after: bool
    missing_from: str
    earlier_episodes_90d: int
    exploitation_marker: bool
    # Issue 14 (ADR 51): an entity or place the child is linked to (or was found at) is an
    # exploitation hub of the force on the day. Defaults to false so that a case written before
    # it existed still reads.
    linked_to_exploitation_hub: bool = False

    def __post_init__(self) -> None:
        if not _is_whole_number(self.age):
            raise PolicyInputError(f"age must be a whole number of years, not {self.age!r}")
        if self.age < 0:
            raise PolicyInputError(f"age must not be negative, not {self.age}")
        if self.age >= CHILD_AGE_LIMIT:
            raise PolicyInputError(
                f"age {self.age} is not a child: this system is for children (under 18)"
            )
        for name in ("looked_after", "exploitation_marker", "linked_to_exploitation_hub"):
            if not isinstance(getattr(self, name), bool):
                raise PolicyInputError(
                    f"{name} must be true or false, not {getattr(self, name)!r}"
                )
        if self.missing_from not in MISSING_FROM:
            raise PolicyInputError(
                f"missing_from must be one of {', '.join(MISSING_FROM)}, "
                f"not {self.missing_from!r}"
            )
        episodes = self.earlier_episodes_90d
        if not _is_whole_number(episodes) or episodes < 0:
            raise PolicyInputError(
                f"earlier_episodes_90d must be a whole number, 0 or more, not {episodes!r}"
            )


@dataclass(frozen=True, slots=True)
class Reason:
    """One rule that fired: its id, the grade it sets, and what it means in plain words."""

    rule: str
    grade: str
    text: str


@dataclass(frozen=True, slots=True)
class Recommendation:
    """The recommended grade and every rule that fired, highest grade first."""

    grade: str
    reasons: tuple[Reason, ...]
    policy: str
    policy_version: str

    @property
    def reason_texts(self) -> list[str]:
        return [reason.text for reason in self.reasons]


@dataclass(frozen=True, slots=True)
class ChoiceOutcome:
    """What happens to the grade an officer chose.

    `status` is "accepted" or "pending_ratification"; `required_rank` is the lowest rank that
    may ratify a pending choice (None when accepted). Until ratified, the clocks of the
    recommended grade apply.
    """

    status: str
    required_rank: str | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of the rule language: when `condition` holds, the grade is at least `grade`.

    `value`, `floor` and `factors` are the condition's parameters (which ones a condition takes
    is set in rules.py); `text` is a template for the reason; `source` is the file it came from.
    """

    id: str
    grade: str
    condition: str
    text: str
    value: int | None = None
    floor: str | None = None
    factors: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True, slots=True)
class GradeClock:
    """Review clock of one grade, in hours after the report (DOMAIN.md section 5)."""

    first_review_hours: float
    review_every_hours: float
    reviewer_rank: str
    regrade_by_hours: float | None = None
    superintendent_informed_after_hours: float | None = None
    inspector_review_after_hours: float | None = None
    # Medium and high: an officer in the case allocated within this many hours of the grade.
    allocation_due_hours: float | None = None


CLOCK_HOURS = (
    "first_review_hours",
    "review_every_hours",
    "regrade_by_hours",
    "superintendent_informed_after_hours",
    "inspector_review_after_hours",
    "allocation_due_hours",
)


@dataclass(frozen=True, slots=True)
class Deadlines:
    """Deadlines that do not depend on the grade, in hours."""

    national_unit_notify_after_hours: float
    prevention_interview_due_hours: float
    return_home_interview_due_hours: float
    handover_accept_hours: float
    escalation_repeat_hours: float
    action_due_hours: float
    partner_report_grade_due_hours: float
    national_unit_task_due_hours: float
    return_checklist_due_hours: float
    waiver_approval_due_hours: float
    marker_decision_due_hours: float
    trigger_plan_due_hours: float


@dataclass(frozen=True, slots=True)
class HarmClocks:
    """Hours for the tasks a harmful return, a disclosure or a death sets (issue 10)."""

    crime_record_due_hours: float
    safeguarding_referral_due_hours: float
    risk_reassessment_due_hours: float
    strategy_meeting_due_hours: float
    critical_incident_due_hours: float
    coroner_officer_due_hours: float


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Repeat-missing threshold that calls a strategy meeting: N episodes in a rolling window;
    and the exploitation hub: an entity or place linked to N different children in a window
    (issue 14, ADR 50)."""

    repeat_episodes: int
    repeat_window_days: int
    hub_children: int
    hub_window_days: int


@dataclass(frozen=True, slots=True)
class Ratification:
    """Lowest rank that may ratify a grade below the recommendation."""

    default_rank: str
    high_rank: str


@dataclass(frozen=True, slots=True)
class Action:
    """A standard action created with the grade; `when` is "always" or "looked_after"."""

    code: str
    title: str
    due_hours: float
    when: str


ACTION_WHEN = ("always", "looked_after")


@dataclass(frozen=True, slots=True)
class Compiled:
    """The policy's rules compiled for speed by rules.compile_rules (see engine.recommend)."""

    floor_of: Mapping[str, int]
    factor_ranks: tuple[tuple[str, int], ...]
    rule_checks: tuple[Callable[..., tuple[Reason, ...]], ...]


@dataclass(frozen=True, eq=False)
class Policy:
    """A loaded, validated grading policy: the national one or a force overlay on it.

    `version` is what an assessment stores: for an overlay it names the national version too
    ("2026.1+national.2026.1"), so a change to either is visible. `file_version` is the version
    written in the policy's own file. Equality is identity: policies are loaded once and cached.
    """

    name: str
    version: str
    file_version: str
    title: str
    extends: str | None
    source: str
    factors: tuple[Factor, ...]
    rules: tuple[Rule, ...]
    labels: Mapping[str, str]
    meanings: Mapping[str, str]
    clocks: Mapping[str, GradeClock]
    deadlines: Deadlines
    thresholds: Thresholds
    ratification: Ratification
    actions: Mapping[str, tuple[Action, ...]]
    harm: HarmClocks
    minimum_grade: str
    compiled: Compiled = field(repr=False)

    @functools.cached_property
    def factor_index(self) -> Mapping[str, Factor]:
        """The policy's factors by code, in questionnaire order (read-only)."""
        return MappingProxyType({factor.code: factor for factor in self.factors})

    def label(self, grade: str) -> str:
        """The force's own word for a national grade."""
        grade_rank(grade)
        return self.labels[grade]

    def clock(self, grade: str) -> GradeClock:
        grade_rank(grade)
        return self.clocks[grade]

    def actions_for(self, grade: str, *, looked_after: bool) -> tuple[Action, ...]:
        """The standard actions created with `grade` for this child."""
        grade_rank(grade)
        return tuple(
            action
            for action in self.actions.get(grade, ())
            if action.when == "always" or looked_after
        )

    def required_ratification_rank(self, recommended_grade: str) -> str:
        """Lowest rank that may ratify a choice below `recommended_grade`."""
        if grade_rank(recommended_grade) == grade_rank("high"):
            return self.ratification.high_rank
        return self.ratification.default_rank

"""One case as plain data (a JSON object): parsing, validation and grading.

Shared by the `grade` management command and, later, the REST endpoint. A case looks like:

    {"policy": "national", "age": 15, "looked_after": true, "missing_from": "care",
     "earlier_episodes_90d": 2, "exploitation_marker": false,
     "answers": {"exploitation": "unknown", "mental_health": "yes"},
     "chosen": "low", "rationale": "..."}

`policy` defaults to "national"; missing answers count as unknown; `chosen` and `rationale` are
optional and, when given, the officer's choice is evaluated too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .engine import check_answers, evaluate_choice, recommend
from .errors import PolicyInputError
from .loader import load_policy
from .model import NATIONAL, Context, grade_rank

CONTEXT_FIELDS = ("age", "looked_after", "missing_from", "earlier_episodes_90d",
                  "exploitation_marker")
# Optional: false when left out, so cases written before it existed still grade (ADR 51).
OPTIONAL_CONTEXT_FIELDS = ("linked_to_exploitation_hub",)
CASE_FIELDS = ("policy", *CONTEXT_FIELDS, *OPTIONAL_CONTEXT_FIELDS, "answers", "chosen",
               "rationale")


@dataclass(frozen=True)
class Case:
    """A validated case: which policy, the context, the answers and the optional choice."""

    policy: str
    context: Context
    answers: Mapping[str, str] = field(default_factory=dict)
    chosen: str | None = None
    rationale: str = ""


def parse_case(data: object) -> Case:
    """Validate one case given as a decoded JSON object; PolicyError with a clear message if not.

    The policy name, answers and chosen grade are checked too, so a Case is always gradable.
    """
    if not isinstance(data, dict):
        raise PolicyInputError(f"a case must be a JSON object, not {type(data).__name__}")
    unknown = [key for key in data if key not in CASE_FIELDS]
    if unknown:
        raise PolicyInputError(
            f"unknown field {unknown[0]!r} (the fields are {', '.join(CASE_FIELDS)})"
        )
    missing = [key for key in CONTEXT_FIELDS if key not in data]
    if missing:
        raise PolicyInputError(f"missing field {missing[0]!r}")
    policy_name = data.get("policy", NATIONAL)
    if not isinstance(policy_name, str):
        raise PolicyInputError(f"policy must be 'national' or a force code, not {policy_name!r}")
    policy = load_policy(policy_name)
    context = Context(**{key: data[key] for key in CONTEXT_FIELDS},
                      **{key: data[key] for key in OPTIONAL_CONTEXT_FIELDS if key in data})
    answers = data.get("answers", {})
    if not isinstance(answers, dict):
        raise PolicyInputError("answers must be an object of factor code to yes, no or unknown")
    check_answers(answers, policy)
    chosen = data.get("chosen")
    rationale = data.get("rationale", "")
    if chosen is not None:
        grade_rank(chosen)
    if not isinstance(rationale, str):
        raise PolicyInputError("rationale must be text")
    return Case(policy_name, context, MappingProxyType(dict(answers)), chosen, rationale)


def grade_case(case: Case) -> dict[str, object]:
    """Grade a case: {"grade", "reasons", "policy", "policy_version"}, plus "chosen", "status"
    and "required_rank" when the case carries the officer's choice."""
    policy = load_policy(case.policy)
    recommendation = recommend(case.answers, case.context, policy)
    result: dict[str, object] = {
        "grade": recommendation.grade,
        "reasons": recommendation.reason_texts,
        "policy": recommendation.policy,
        "policy_version": recommendation.policy_version,
    }
    if case.chosen is not None:
        outcome = evaluate_choice(
            recommendation=recommendation,
            chosen=case.chosen,
            rationale=case.rationale,
            policy=policy,
        )
        result.update(
            chosen=case.chosen, status=outcome.status, required_rank=outcome.required_rank
        )
    return result

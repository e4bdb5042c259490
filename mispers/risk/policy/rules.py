"""The rule language: the condition kinds a policy file may use, and how each one is checked,
compiled, compared and described.

A rule says: when its condition holds, the grade is at least the rule's grade. Each condition
kind takes a fixed set of parameters (`value`, `floor`, `factors`) and offers a fixed set of
placeholders to its reason text. Rules are compiled once, at load, into small closures
`check(context, yes, unknown) -> tuple[Reason, ...]`, where `yes[r]` and `unknown[r]` list the
codes of the factors with floor rank `r` answered yes / unknown. A check returns the reasons it
gives (empty when it does not fire); reasons that do not depend on the input are built once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from string import Formatter

from .model import CHILD_AGE_LIMIT, Compiled, Context, Factor, Reason, Rule, grade_rank

Check = Callable[[Context, tuple[list[str], ...], tuple[list[str], ...]], tuple[Reason, ...]]
NOTHING: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class ConditionKind:
    """One condition kind of the rule language."""

    name: str
    summary: str
    params: frozenset[str]
    placeholders: frozenset[str]
    value_range: tuple[int, int] | None
    compile: Callable[[Rule, Mapping[str, Factor]], Check]
    weaker: Callable[[Rule, Rule], str | None]
    describe: Callable[[Rule, Mapping[str, Factor]], str]


def _never_weaker(new: Rule, old: Rule) -> str | None:
    return None


def _same_floor(new: Rule, old: Rule) -> str | None:
    if new.floor != old.floor:
        return f"looks at {new.floor}-floor questions instead of {old.floor}-floor ones"
    return None


def _reason(rule: Rule, **values: object) -> Reason:
    return Reason(rule.id, rule.grade, rule.text.format(**values))


def _questions(codes: list[str] | tuple[str, ...], factors: Mapping[str, Factor]) -> str:
    return "; ".join(factors[code].question for code in codes)


# --- context conditions -------------------------------------------------------------------


def _compile_age_at_most(rule: Rule, factors: Mapping[str, Factor]) -> Check:
    by_age = {age: (_reason(rule, age=age, value=rule.value),) for age in range(rule.value + 1)}

    def check(context, yes, unknown):
        return by_age.get(context.age, NOTHING)

    return check


def _compile_age_equals(rule: Rule, factors: Mapping[str, Factor]) -> Check:
    age, fired = rule.value, (_reason(rule, age=rule.value, value=rule.value),)

    def check(context, yes, unknown):
        return fired if context.age == age else NOTHING

    return check


def _compile_placement(rule: Rule, factors: Mapping[str, Factor]) -> Check:
    fired = (_reason(rule),)

    def check(context, yes, unknown):
        return fired if context.looked_after and context.missing_from == "care" else NOTHING

    return check


def _compile_episodes(rule: Rule, factors: Mapping[str, Factor]) -> Check:
    least = rule.value

    def check(context, yes, unknown):
        episodes = context.earlier_episodes_90d
        if episodes >= least:
            return (_reason(rule, episodes=episodes, value=least),)
        return NOTHING

    return check


def _compile_marker(rule: Rule, factors: Mapping[str, Factor]) -> Check:
    fired = (_reason(rule),)

    def check(context, yes, unknown):
        return fired if context.exploitation_marker else NOTHING

    return check


def _compile_hub(rule: Rule, factors: Mapping[str, Factor]) -> Check:
    fired = (_reason(rule),)

    def check(context, yes, unknown):
        return fired if context.linked_to_exploitation_hub else NOTHING

    return check


def _compile_always(rule: Rule, factors: Mapping[str, Factor]) -> Check:
    fired = (_reason(rule),)

    def check(context, yes, unknown):
        return fired

    return check


# --- answer conditions --------------------------------------------------------------------


def _per_factor_reasons(rule: Rule, codes, factors: Mapping[str, Factor]) -> dict[str, Reason]:
    return {
        code: _reason(rule, code=code, question=factors[code].question, floor=factors[code].floor)
        for code in codes
    }


def _compile_factor_yes(rule: Rule, factors: Mapping[str, Factor]) -> Check:
    watched = tuple(
        (code, grade_rank(factors[code].floor), reason)
        for code, reason in _per_factor_reasons(rule, rule.factors, factors).items()
    )

    def check(context, yes, unknown):
        return tuple(reason for code, rank, reason in watched if code in yes[rank])

    return check


def _compile_factor_yes_with_floor(rule: Rule, factors: Mapping[str, Factor]) -> Check:
    rank = grade_rank(rule.floor)
    codes = [code for code, factor in factors.items() if factor.floor == rule.floor]
    reasons = _per_factor_reasons(rule, codes, factors)

    def check(context, yes, unknown):
        found = yes[rank]
        return tuple(reasons[code] for code in found) if found else NOTHING

    return check


def _compile_listing(rule: Rule, factors: Mapping[str, Factor], *, answered_yes: bool) -> Check:
    """A rule giving one reason that lists the questions concerned (count and unknown kinds).

    Reasons are memoised by the exact set of questions: there are few such sets in practice.
    """
    rank, least = grade_rank(rule.floor), rule.value or 1
    made: dict[tuple[str, ...], tuple[Reason, ...]] = {}

    def reasons_for(found: list[str]) -> tuple[Reason, ...]:
        key = tuple(found)
        fired = made.get(key)
        if fired is None:
            text = _questions(key, factors)
            fired = (
                _reason(rule, count=len(key), value=rule.value, questions=text, floor=rule.floor),
            )
            if len(made) < 4096:
                made[key] = fired
        return fired

    if answered_yes:

        def check(context, yes, unknown):
            found = yes[rank]
            return reasons_for(found) if len(found) >= least else NOTHING

    else:

        def check(context, yes, unknown):
            found = unknown[rank]
            return reasons_for(found) if found else NOTHING

    return check


def _compile_count(rule: Rule, factors: Mapping[str, Factor]) -> Check:
    return _compile_listing(rule, factors, answered_yes=True)


def _compile_unknown(rule: Rule, factors: Mapping[str, Factor]) -> Check:
    return _compile_listing(rule, factors, answered_yes=False)


# --- comparing a redefinition with the rule it replaces -----------------------------------


def _weaker_age_at_most(new: Rule, old: Rule) -> str | None:
    if new.value < old.value:
        return f"covers fewer children (aged {new.value} or under, not {old.value} or under)"
    return None


def _weaker_age_equals(new: Rule, old: Rule) -> str | None:
    if new.value != old.value:
        return f"applies at age {new.value} instead of age {old.value}"
    return None


def _weaker_episodes(new: Rule, old: Rule) -> str | None:
    if new.value > old.value:
        return f"needs {new.value} earlier episodes instead of {old.value}"
    return None


def _weaker_count(new: Rule, old: Rule) -> str | None:
    if new.value > old.value:
        return f"needs {new.value} questions answered yes instead of {old.value}"
    return _same_floor(new, old)


def _weaker_factor_yes(new: Rule, old: Rule) -> str | None:
    dropped = [code for code in old.factors if code not in new.factors]
    if dropped:
        return f"no longer covers {', '.join(dropped)}"
    return None


# --- the condition kinds ------------------------------------------------------------------


def _kind(name, summary, params, placeholders, value_range, compile, weaker, describe):
    return ConditionKind(
        name, summary, frozenset(params), frozenset(placeholders), value_range, compile, weaker,
        describe,
    )


_AGES = (0, CHILD_AGE_LIMIT - 1)
_FACTOR_TEXT = ("code", "question", "floor")
_LIST_TEXT = ("count", "questions", "floor")

CONDITION_KINDS: dict[str, ConditionKind] = {
    kind.name: kind
    for kind in (
        _kind(
            "age_at_most",
            "the child's age is `value` or under",
            ["value"], ["age", "value"], _AGES,
            _compile_age_at_most, _weaker_age_at_most,
            lambda rule, factors: f"if the child is aged {rule.value} or under",
        ),
        _kind(
            "age_equals",
            "the child's age is exactly `value`",
            ["value"], ["age", "value"], _AGES,
            _compile_age_equals, _weaker_age_equals,
            lambda rule, factors: f"if the child is aged {rule.value}",
        ),
        _kind(
            "looked_after_missing_from_placement",
            "a looked-after child missing from their placement (`missing_from` is care)",
            [], [], None,
            _compile_placement, _never_weaker,
            lambda rule, factors: "if the child is looked after by a local authority and is "
            "missing from their placement (missing from care)",
        ),
        _kind(
            "earlier_episodes_90d_at_least",
            "`value` or more earlier episodes in the 90 days before the report",
            ["value"], ["episodes", "value"], (1, 1000),
            _compile_episodes, _weaker_episodes,
            lambda rule, factors: f"if the child had {rule.value} or more earlier missing episodes "
            "in the 90 days before this report",
        ),
        _kind(
            "exploitation_marker",
            "the child's record carries an active exploitation marker",
            [], [], None,
            _compile_marker, _never_weaker,
            lambda rule, factors: "if the child's record carries an active exploitation marker",
        ),
        _kind(
            "linked_to_exploitation_hub",
            "the child is linked to an exploitation hub of the force (issue 14): an associate, "
            "vehicle, phone, handle or place linked to the policy's `hub_children` children in "
            "`hub_window_days`",
            [], [], None,
            _compile_hub, _never_weaker,
            lambda rule, factors: "if the child is linked to an exploitation hub (an associate, "
            "vehicle, phone, handle or place linked to several missing children)",
        ),
        _kind(
            "factor_yes",
            "any of the listed `factors` answered yes; one reason per question",
            ["factors"], _FACTOR_TEXT, None,
            _compile_factor_yes, _weaker_factor_yes,
            lambda rule, factors: "if any of these is answered yes: "
            + "; ".join(f"`{code}`" for code in rule.factors),
        ),
        _kind(
            "factor_yes_with_floor",
            "any question with floor `floor` answered yes; one reason per question",
            ["floor"], _FACTOR_TEXT, None,
            _compile_factor_yes_with_floor, _same_floor,
            lambda rule, factors: f"if any {rule.floor}-floor question is answered yes "
            "(one reason for each such question)",
        ),
        _kind(
            "factor_yes_count_with_floor",
            "`value` or more questions with floor `floor` answered yes; one reason listing them",
            ["floor", "value"], (*_LIST_TEXT, "value"), (1, 100),
            _compile_count, _weaker_count,
            lambda rule, factors: f"if {rule.value} or more {rule.floor}-floor questions are "
            "answered yes (accumulated vulnerability)",
        ),
        _kind(
            "factor_unknown_with_floor",
            "any question with floor `floor` answered unknown or not answered; one reason "
            "listing them",
            ["floor"], _LIST_TEXT, None,
            _compile_unknown, _same_floor,
            lambda rule, factors: f"if any {rule.floor}-floor question is answered unknown or "
            "not answered",
        ),
        _kind(
            "always",
            "every case (for an overlay's lowest grade for any child)",
            [], [], None,
            _compile_always, _never_weaker,
            lambda rule, factors: "to every child, always",
        ),
    )
}


def text_fields(template: str) -> set[str]:
    """The placeholder names used in a reason template; ValueError if it is malformed."""
    names = set()
    for _literal, name, spec, conversion in Formatter().parse(template):
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ValueError(f"placeholder {{{name}}} must be a plain name such as {{age}}")
        names.add(name)
    return names


def describe(rule: Rule, factors: Mapping[str, Factor]) -> str:
    """When the rule applies, in words: "if the child is aged 12 or under"."""
    return CONDITION_KINDS[rule.condition].describe(rule, factors)


def weaker_than(new: Rule, old: Rule) -> str | None:
    """Why `new` would weaken `old` if it replaced it, or None when it is at least as strict."""
    if grade_rank(new.grade) < grade_rank(old.grade):
        return f"lowers the grade from {old.grade} to {new.grade}"
    if new.condition != old.condition:
        return (
            f"changes the condition from {old.condition} to {new.condition} "
            "(a redefined rule keeps its condition and may only widen it)"
        )
    return CONDITION_KINDS[new.condition].weaker(new, old)


def compile_rules(factors: tuple[Factor, ...], rules: tuple[Rule, ...]) -> Compiled:
    """Compile validated rules, highest grade first (file order within a grade)."""
    by_code = {factor.code: factor for factor in factors}
    ordered = sorted(rules, key=lambda rule: -grade_rank(rule.grade))
    return Compiled(
        floor_of={factor.code: grade_rank(factor.floor) for factor in factors},
        factor_ranks=tuple((factor.code, grade_rank(factor.floor)) for factor in factors),
        rule_checks=tuple(
            CONDITION_KINDS[rule.condition].compile(rule, by_code) for rule in ordered
        ),
    )

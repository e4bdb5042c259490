"""Renders docs/policy.md from the policy data files, so the words cannot drift from the rules.

`render_policy_docs()` is deterministic: the same files always give the same text. The
`policy_docs` management command writes or checks the committed file, and a test compares them.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from .cases import CASE_FIELDS, grade_case, parse_case
from .engine import NO_RULE_APPLIES
from .loader import load_policy, shipped_overlays
from .model import GRADES, MISSING_FROM, NATIONAL, GradeClock, Policy, Rule
from .rules import CONDITION_KINDS, describe

DOCS_PATH = Path(__file__).resolve().parents[3] / "docs" / "policy.md"

_CLOCK_OTHER = {
    "regrade_by_hours": "must be re-graded by {} after the report at the latest",
    "superintendent_informed_after_hours": "superintendent informed if open {}",
    "inspector_review_after_hours": "inspector review if open {}",
    "allocation_due_hours": "an officer in the case allocated within {} of the grade",
}
_DEADLINE_WORDS = {
    "national_unit_notify_after_hours": "A child still missing after {} is notified to the "
    "national missing persons unit.",
    "prevention_interview_due_hours": "The prevention interview by police is due within {} of "
    "return.",
    "return_home_interview_due_hours": "The independent return-home interview is due within {} "
    "of return.",
    "handover_accept_hours": "A handover not accepted within {} escalates to the next rank up.",
    "escalation_repeat_hours": "An escalation not acknowledged within {} climbs to the next "
    "rank up again.",
    "action_due_hours": "An action with no due time of its own is due within {}.",
    "partner_report_grade_due_hours": "A partner's report is graded by the control room within "
    "{} of arriving.",
    "national_unit_task_due_hours": "The task to notify the national missing persons unit is due "
    "within {} of being set.",
    "return_checklist_due_hours": "When a child is found, the return checklist (circulations "
    "cancelled, safe and well check, the reporting person and partners told, the trigger plan "
    "reviewed) is due within {}.",
    "waiver_approval_due_hours": "A supervisor decides within {} on a reason the prevention "
    "interview could not happen.",
    "marker_decision_due_hours": "A marker proposed from an interview is confirmed or rejected "
    "within {}.",
    "trigger_plan_due_hours": "A trigger plan agreed at a strategy meeting is written within {}.",
}
# Issue 10 (ADR 26): the tasks a harmful return, a disclosure or a death sets.
_HARM_WORDS = {
    "crime_record_due_hours": "A child found harmed or a victim, or who discloses harm at an "
    "interview: the crime is recorded with its crime reference within {}.",
    "safeguarding_referral_due_hours": "After harm or a disclosure, a safeguarding referral is "
    "made within {}.",
    "risk_reassessment_due_hours": "After harm or a disclosure, the child's risk is assessed again "
    "within {}.",
    "strategy_meeting_due_hours": "After harm or a disclosure, a strategy meeting is considered "
    "within {}.",
    "critical_incident_due_hours": "A child found deceased: the critical-incident procedure "
    "starts within {}.",
    "coroner_officer_due_hours": "A child found deceased: the coroner's officer is informed "
    "within {}.",
}

_EXAMPLE_OVERLAY = '''\
extends = "national"          # every overlay builds on the national policy
name = "kent"                 # a force code from mispers/risk/policies/forces.csv
version = "2026.1"            # change it whenever the file changes
title = "Kent Police grading policy"

[labels]                      # the force's own words beside the national grades
no_apparent_risk = "Absent"

[floors]                      # raise a question's floor (never lower it)
out_of_character = "high"

[[rules]]                     # an extra rule: one condition, a grade, a reason text
id = "kent_13_and_under"
grade = "medium"
condition = "age_at_most"
value = 13
text = "Age {age}: Kent grades children aged {value} or under at least medium"

[clocks.medium]               # tighten a clock (a smaller number of hours, a higher rank)
first_review_hours = 1

[thresholds]                  # the repeat-missing threshold may change either way
repeat_window_days = 30

[[actions.low]]               # add a standard action, or shorten one's due time
code = "inform_school"
title = "Tell the child's school"
due_hours = 8
when = "always"'''


def _hours(value: float | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value} h"


def _a(word: str) -> str:
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return lines


def _rule_line(rule: Rule, policy: Policy) -> str:
    return (f"- `{rule.id}` ({rule.grade}) applies {describe(rule, policy.factor_index)}. "
            f"Reason: “{rule.text}”")


def _clock_other(clock: GradeClock) -> str:
    notes = [words.format(_hours(getattr(clock, key)))
             for key, words in _CLOCK_OTHER.items() if getattr(clock, key) is not None]
    return "; ".join(notes) or "–"


def _grades(national: Policy) -> list[str]:
    rows = [(national.labels[grade], f"`{grade}`", national.meanings[grade])
            for grade in reversed(GRADES)]
    return ["## Grades", "", "The national grades, highest first. Every assessment records the "
            "national grade, with the force's own label beside it.", "",
            *_table(("Grade", "Code", "Meaning"), rows), ""]


def _factors(national: Policy) -> list[str]:
    rows = [(f"`{factor.code}`", factor.question, factor.floor) for factor in national.factors]
    return ["## Questions", "", "Each question is answered `yes`, `no` or `unknown`, with who "
            "said it and when. A question left out of an assessment counts as `unknown`: absence "
            "of information is not absence of risk.", "",
            *_table(("Code", "Question", "Floor when yes"), rows), ""]


def _rules(national: Policy) -> list[str]:
    lines = ["## How the recommended grade is worked out", "",
             "Every rule below is checked. The recommended grade is the highest grade of the "
             "rules that fire, and every rule that fired is listed with it, highest first, in "
             "the words shown. When no rule fires the grade is no apparent risk, with the "
             f"reason “{NO_RULE_APPLIES.text}”. In the reasons, the `{{placeholders}}` are "
             "filled in from the case.", ""]
    for grade in reversed(GRADES[1:]):
        rules = [rule for rule in national.rules if rule.grade == grade]
        lines += [f"### {national.labels[grade]}", "", *[_rule_line(r, national) for r in rules],
                  ""]
    lines += ["A question with a low floor answered `unknown` raises nothing on its own.", ""]
    return lines


def _choosing(national: Policy) -> list[str]:
    ratify = national.ratification
    return [
        "## Choosing a grade", "",
        "The officer records the grade they choose:", "",
        "- Equal to or above the recommendation: accepted.",
        "- Below the recommendation: a written rationale is required, and the assessment is "
        f"pending ratification until {_a(ratify.default_rank)} or above ratifies it; when the "
        f"recommendation is high, only {_a(ratify.high_rank)} or above may ratify it. Until it is "
        "ratified, the clocks of the recommended grade apply.",
        "- No apparent risk can never be chosen while a rule of grade high applies, nor under a "
        "force policy that never grades a child below low.",
        "- Every assessment stores the name and version of the policy it was made under. An "
        "overlay's version names the national version too (for example "
        f"`{_overlay_version_example(national)}`).", "",
    ]


def _overlay_version_example(national: Policy) -> str:
    overlays = [load_policy(name) for name in shipped_overlays()]
    return overlays[0].version if overlays else f"2026.1+national.{national.version}"


# The documented example of `mispers grade`; its answer is worked out when the file is rendered,
# so it always shows the current policy version and reasons.
_GRADE_EXAMPLE = {"policy": "national", "age": 15, "looked_after": True, "missing_from": "care",
                  "earlier_episodes_90d": 2, "exploitation_marker": False,
                  "answers": {"exploitation": "unknown", "mental_health": "yes"},
                  "chosen": "low", "rationale": "Known to stay at a friend's; phone answered"}


def _grade_command(national: Policy) -> list[str]:
    factors = ", ".join(f"`{factor.code}`" for factor in national.factors)
    output = grade_case(parse_case(_GRADE_EXAMPLE))
    return [
        "## Grading cases from a file: `mispers grade`", "",
        "`mispers grade [FILE]` reads JSON Lines (one case, a JSON object, per line; from "
        "standard input when FILE is `-` or left out) and writes one JSON line per case. The "
        "fields of a case, in order: " + ", ".join(f"`{name}`" for name in CASE_FIELDS) + ".",
        "",
        "- `policy`: `national` (the default) or a force code with an overlay, such as "
        "`dorset`.",
        "- `age` (whole years, under 18), `looked_after` (true or false), `missing_from` ("
        + ", ".join(f"`{place}`" for place in MISSING_FROM) + "), `earlier_episodes_90d` "
        "(episodes in the 90 days before) and `exploitation_marker` (true or false): required.",
        "- `linked_to_exploitation_hub` (true or false, optional: false when left out): the "
        "child is linked to an exploitation hub of the force (ADR 51).",
        f"- `answers`: factor code to `yes`, `no` or `unknown`; a factor left out is unknown. "
        f"The factors: {factors}.",
        "- `chosen` and `rationale` (optional): the officer's grade and why; the answer then "
        "also says whether it is accepted or needs ratification, and by whom.", "",
        "A line:", "", "```json", json.dumps(_GRADE_EXAMPLE, ensure_ascii=False), "```", "",
        "and what `mispers grade` writes for it (on one line; spread out here to be read):", "",
        "```json", json.dumps(output, ensure_ascii=False, indent=2), "```", "",
        "A line that cannot be graded (not UTF-8, not JSON, not a valid case) is named on "
        "standard error as `line N: problem`, with the column for bad JSON; the other lines "
        "are still graded and the command then exits 1. `POST /api/v1/risk/recommend` "
        "(docs/api.md) takes the same case.", "",
    ]


def _clocks(policy: Policy, heading: str) -> list[str]:
    rows = [(policy.labels[grade], _hours(clock.first_review_hours),
             _hours(clock.review_every_hours), clock.reviewer_rank, _clock_other(clock))
            for grade in reversed(GRADES) for clock in [policy.clocks[grade]]]
    deadlines = [words.format(_hours(getattr(policy.deadlines, key)))
                 for key, words in _DEADLINE_WORDS.items()]
    deadlines += [words.format(_hours(getattr(policy.harm, key)))
                  for key, words in _HARM_WORDS.items()]
    threshold = policy.thresholds
    return [heading, "", "Every open episode has a next review due. Times are after the report.",
            "", *_table(("Grade", "First supervisory review due", "Then every", "Reviewer",
                         "Other"), rows), "",
            *[f"- {line}" for line in deadlines],
            f"- {threshold.repeat_episodes} episodes within {threshold.repeat_window_days} days "
            "call a multi-agency strategy meeting.",
            f"- An entity or place linked to {threshold.hub_children} or more different children "
            f"within {threshold.hub_window_days} days is an exploitation hub.", ""]


def _actions(policy: Policy) -> list[str]:
    rows = [(policy.labels[grade], action.title, f"`{action.code}`", _hours(action.due_hours),
             "every child" if action.when == "always" else "a looked-after child")
            for grade in reversed(GRADES) for action in policy.actions[grade]]
    return ["## Standard actions", "", "Created with the grade; due times are after the grade "
            "is recorded.", "", *_table(("Grade", "Action", "Code", "Due within", "For"), rows),
            ""]


def _value(name: str, value: object) -> str:
    return _hours(value) if name.endswith("_hours") else str(value)


def _changes(old, new) -> list[str]:
    """`setting old → new` for each setting of two dataclass values that differs."""
    return [
        f"`{field.name}` {_value(field.name, before)} → {_value(field.name, after)}"
        for field in dataclasses.fields(old)
        if (before := getattr(old, field.name)) != (after := getattr(new, field.name))
    ]


def _overlay(policy: Policy, national: Policy) -> list[str]:
    national_rules = {rule.id: rule for rule in national.rules}
    national_floors = {factor.code: factor.floor for factor in national.factors}
    labels = [f"{national.labels[grade]} → “{policy.labels[grade]}”"
              for grade in reversed(GRADES) if policy.labels[grade] != national.labels[grade]]
    added = [_rule_line(rule, policy) for rule in policy.rules if rule.id not in national_rules]
    restated = [_rule_line(rule, policy) for rule in policy.rules
                if rule.id in national_rules and rule != national_rules[rule.id]]
    floors = [f"`{factor.code}` {national_floors[factor.code]} → {factor.floor}"
              for factor in policy.factors if factor.floor != national_floors[factor.code]]
    clocks = [f"{national.labels[grade]}: {', '.join(changes)}" for grade in reversed(GRADES)
              if (changes := _changes(national.clocks[grade], policy.clocks[grade]))]
    clocks += _changes(national.deadlines, policy.deadlines)
    clocks += _changes(national.harm, policy.harm)
    clocks += _changes(national.ratification, policy.ratification)
    clocks += _changes(national.thresholds, policy.thresholds)
    actions = [f"{national.labels[grade]}: {action.title} (`{action.code}`), due within "
               f"{_hours(action.due_hours)}" for grade in reversed(GRADES)
               for action in policy.actions[grade] if action not in national.actions[grade]]

    def listed(title: str, items: list[str], bullet: bool = True) -> list[str]:
        if not items:
            return [f"- {title}: none."]
        return [f"- {title}:", *[(f"  {item}" if item.startswith("- ") else f"  - {item}")
                                 for item in items]]

    return [f"### {policy.title} (`{policy.name}`)", "",
            f"Version `{policy.version}`. Lowest grade used for a child: "
            f"{policy.minimum_grade.replace('_', ' ')}.", "",
            *listed("Labels", labels), *listed("Rules added", added),
            *listed("National rules restated", restated), *listed("Floors raised", floors),
            *listed("Clocks, deadlines, ratification and thresholds changed", clocks),
            *listed("Standard actions added or tightened", actions), ""]


def _format(national: Policy) -> list[str]:
    kinds = [(f"`{kind.name}`", kind.summary,
              ", ".join(f"`{param}`" for param in sorted(kind.params)) or "–",
              ", ".join(f"`{{{name}}}`" for name in sorted(kind.placeholders)) or "–")
             for kind in CONDITION_KINDS.values()]
    return [
        "## Overlay file format", "",
        "A force overlay is a TOML file `mispers/risk/policies/<force code>.toml`. Every section "
        "but the first four lines is optional:", "", "```toml", _EXAMPLE_OVERLAY, "```", "",
        "Each rule has one condition. The kinds, their parameters and the placeholders their "
        "reason text may use:", "",
        *_table(("Condition", "Fires when", "Parameters", "Placeholders"), kinds), "",
        "An overlay is checked when it is loaded, and refused, naming the file and the rule or "
        "setting, if it:", "",
        "- redefines a national rule (same `id`) with a lower grade, another condition kind or "
        "a narrower condition (for example an older age limit is wider; a higher count is "
        "narrower);",
        "- lowers a question's floor, or names a question, grade, rank or condition kind that "
        "does not exist;",
        "- loosens a clock, a deadline or a standard action's due time, or lowers a reviewer or "
        "ratification rank;",
        "- has a setting the format does not know, or a reason text with an unknown "
        "placeholder.", "",
        "Forces without an overlay file grade under the national policy.", "",
    ]


def render_policy_docs() -> str:
    """The text of docs/policy.md."""
    national = load_policy(NATIONAL)
    overlays = [load_policy(name) for name in shipped_overlays()]
    lines = [
        "# The grading policy", "",
        "<!-- Generated from mispers/risk/policies/*.toml by `mispers policy_docs "
        "--write`. Do not edit by hand: a test fails when this file and the policy files "
        "disagree. -->", "",
        f"{national.title}, version `{national.version}`, with the force overlays shipped with "
        "the system. A force may be stricter than the national policy, never laxer.", "",
        *_grades(national), *_factors(national), *_rules(national), *_choosing(national),
        *_clocks(national, "## Clocks, reviews and deadlines"), *_actions(national),
        "## Force overlays", "",
        "A force overlay adds rules that raise floors, tightens clocks, changes the "
        "repeat-missing threshold and sets the force's own labels. It can never lower a "
        "national floor.", "",
    ]
    for overlay in sorted(overlays, key=lambda policy: policy.name):
        lines += _overlay(overlay, national)
    lines += _format(national)
    lines += _grade_command(national)
    return "\n".join(lines).rstrip("\n") + "\n"

"""Reading a policy file's data: the shared checks, and the national (base) policy.

Every problem is reported as a PolicyFileError (an OverlayError for overlays) that names the
file and the rule or setting: "national.toml: rule 'age_13'.value: must be a whole number ...".
"""

from __future__ import annotations

import dataclasses
import re
from types import MappingProxyType
from typing import NoReturn

from .errors import PolicyFileError
from .model import (
    ACTION_WHEN,
    CLOCK_HOURS,
    FACTOR_FLOORS,
    GRADES,
    NATIONAL,
    RANKS,
    Action,
    Deadlines,
    Factor,
    GradeClock,
    HarmClocks,
    Policy,
    Ratification,
    Rule,
    Thresholds,
    grade_rank,
    rank_at_least,
)
from .rules import CONDITION_KINDS, compile_rules, text_fields

BASE_KEYS = (
    "name", "version", "title", "labels", "meanings", "factors", "rules", "clocks", "deadlines",
    "thresholds", "ratification", "actions", "harm",
)
RULE_PARAMS = ("value", "floor", "factors")
CLOCK_REQUIRED = ("first_review_hours", "review_every_hours", "reviewer_rank")
CLOCK_KEYS = (*CLOCK_HOURS, "reviewer_rank")
DEADLINE_KEYS = tuple(field.name for field in dataclasses.fields(Deadlines))
HARM_KEYS = tuple(field.name for field in dataclasses.fields(HarmClocks))
THRESHOLD_LIMITS = {"repeat_episodes": (2, 100), "repeat_window_days": (1, 3650),
                    "hub_children": (2, 50), "hub_window_days": (30, 3650)}
_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.-]{0,9}\Z")


class PolicyReader:
    """Reads one policy file's data, failing with the file and setting named."""

    error: type[PolicyFileError] = PolicyFileError

    def __init__(self, source: str, data: dict) -> None:
        self.source, self.data = source, data

    def fail(self, where: str, problem: str) -> NoReturn:
        raise self.error(f"{self.source}: {where}: {problem}")

    def keys(self, table: dict, where: str, required=(), optional=()) -> None:
        for key in table:
            if key not in required and key not in optional:
                allowed = ", ".join((*required, *optional)) or "none"
                self.fail(f"{where}.{key}" if where else key,
                          f"unknown setting (allowed: {allowed})")
        for key in required:
            if key not in table:
                self.fail(where or "file", f"missing required setting {key!r}")

    def table(self, table: dict, key: str, where: str) -> dict:
        value = table.get(key, {})
        if not isinstance(value, dict):
            self.fail(where, "must be a table")
        return value

    def tables(self, table: dict, key: str, where: str) -> list[dict]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.fail(where, f"must be an array of tables ([[{key}]])")
        return value

    def text(self, value: object, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(where, f"must be non-empty text, not {value!r}")
        return value

    def code(self, value: object, where: str) -> str:
        if not isinstance(value, str) or not _ID.match(value):
            self.fail(where, f"{value!r} must be lower-case letters, digits and underscores")
        return value

    def version(self, value: object) -> str:
        """A short version string: an overlay's stored version is at most 30 characters."""
        if not isinstance(value, str) or not _VERSION.match(value):
            self.fail("version", f"{value!r} must be 1 to 10 letters, digits, dots or dashes")
        return value

    def choice(self, value: object, where: str, allowed: tuple[str, ...], what: str) -> str:
        if value not in allowed:
            self.fail(where, f"unknown {what} {value!r} (one of {', '.join(allowed)})")
        return value

    def whole(self, value: object, where: str, low: int, high: int) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.fail(where, f"must be a whole number from {low} to {high}, not {value!r}")
        return value

    def hours(self, value: object, where: str) -> float:
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value <= 8760:
            self.fail(where, f"must be a number of hours above 0, not {value!r}")
        return value

    # --- shared sections ------------------------------------------------------------------

    def labels(self, table: dict, where: str, required: bool) -> dict[str, str]:
        self.keys(table, where, GRADES if required else (), () if required else GRADES)
        return {grade: self.text(table[grade], f"{where}.{grade}") for grade in table}

    def rule(self, table: dict, index: int, factors: dict[str, Factor]) -> Rule:
        where = f"rules[{index}]"
        rule_id = table.get("id")
        if isinstance(rule_id, str) and _ID.match(rule_id):
            where = f"rule {rule_id!r}"
        self.keys(table, where, ("id", "grade", "condition", "text"), RULE_PARAMS)
        rule_id = self.code(rule_id, f"{where}.id")
        if table["grade"] == GRADES[0]:
            self.fail(f"{where}.grade", "a rule raises the grade: use low, medium or high")
        grade = self.choice(table["grade"], f"{where}.grade", GRADES[1:], "grade")
        kind = CONDITION_KINDS.get(table["condition"])
        if kind is None:
            known = ", ".join(CONDITION_KINDS)
            self.fail(where, f"unknown condition kind {table['condition']!r} (known: {known})")
        for param in RULE_PARAMS:
            if param in kind.params and param not in table:
                self.fail(where, f"condition {kind.name} needs {param!r}")
            if param in table and param not in kind.params:
                self.fail(where, f"condition {kind.name} takes no {param!r}")
        params: dict = {}
        if "value" in table:
            params["value"] = self.whole(table["value"], f"{where}.value", *kind.value_range)
        if "floor" in table:
            params["floor"] = self.choice(table["floor"], f"{where}.floor", FACTOR_FLOORS, "floor")
        if "factors" in table:
            codes = table["factors"]
            if not isinstance(codes, list) or not codes or len(set(map(str, codes))) != len(codes):
                self.fail(where, "factors must be a non-empty list of different factor codes")
            for code in codes:
                self.choice(code, f"{where}.factors", tuple(factors), "factor")
            params["factors"] = tuple(codes)
        text = self.text(table["text"], f"{where}.text")
        try:
            fields = text_fields(text)
        except ValueError as error:
            self.fail(f"{where}.text", str(error))
        extra = fields - kind.placeholders
        if extra:
            allowed = ", ".join(f"{{{name}}}" for name in sorted(kind.placeholders)) or "none"
            self.fail(
                f"{where}.text",
                f"unknown placeholder {{{min(extra)}}} for {kind.name} (allowed: {allowed})",
            )
        return Rule(rule_id, grade, kind.name, text, source=self.source, **params)

    def finish(self, **fields) -> Policy:
        factors, rules = fields["factors"], fields["rules"]
        minimum = max((rule.grade for rule in rules if rule.condition == "always"),
                      key=grade_rank, default=GRADES[0])
        return Policy(
            **fields,
            source=self.source,
            minimum_grade=minimum,
            compiled=compile_rules(factors, rules),
        )


def frozen(mapping: dict) -> MappingProxyType:
    return MappingProxyType(dict(mapping))


class NationalReader(PolicyReader):
    """The national policy file: every section required, nothing to compare against."""

    def build(self) -> Policy:
        data = self.data
        name = self.text(data.get("name"), "name")
        if name != NATIONAL:
            self.fail("name", "a policy without 'extends' must be the national policy, "
                      f"not {name!r}")
        self.keys(data, "", BASE_KEYS)
        factors = self.factors()
        index = {factor.code: factor for factor in factors}
        rules = tuple(
            self.rule(table, position, index)
            for position, table in enumerate(self.tables(data, "rules", "rules"))
        )
        seen: set[str] = set()
        for rule in rules:
            if rule.id in seen:
                self.fail(f"rule {rule.id!r}", "the id is used twice")
            seen.add(rule.id)
        version = self.version(data["version"])
        return self.finish(
            name=name,
            version=version,
            file_version=version,
            title=self.text(data["title"], "title"),
            extends=None,
            factors=factors,
            rules=rules,
            labels=frozen(self.labels(self.table(data, "labels", "labels"), "labels", True)),
            meanings=frozen(
                self.labels(self.table(data, "meanings", "meanings"), "meanings", True)
            ),
            clocks=frozen(self.clocks()),
            deadlines=Deadlines(**self.deadlines()),
            thresholds=Thresholds(**self.thresholds(required=True)),
            ratification=self.ratification(),
            actions=frozen(self.actions()),
            harm=HarmClocks(**self.harm_clocks()),
        )

    def factors(self) -> tuple[Factor, ...]:
        factors: dict[str, Factor] = {}
        for position, table in enumerate(self.tables(self.data, "factors", "factors")):
            where = f"factors[{position}]"
            self.keys(table, where, ("code", "question", "floor"))
            code = self.code(table["code"], f"{where}.code")
            if code in factors:
                self.fail(where, f"factor {code!r} is listed twice")
            question = self.text(table["question"], f"{where}.question")
            floor = self.choice(table["floor"], f"{where}.floor", FACTOR_FLOORS, "floor")
            factors[code] = Factor(code, question, floor)
        if not factors:
            self.fail("factors", "the national policy must list its factors")
        return tuple(factors.values())

    def clocks(self) -> dict[str, GradeClock]:
        clocks = self.table(self.data, "clocks", "clocks")
        self.keys(clocks, "clocks", GRADES)
        result = {}
        for grade in GRADES:
            where = f"clocks.{grade}"
            table = self.table(clocks, grade, where)
            self.keys(table, where, CLOCK_REQUIRED, CLOCK_HOURS)
            values = {key: self.hours(table[key], f"{where}.{key}")
                      for key in CLOCK_HOURS if key in table}
            rank = self.choice(table["reviewer_rank"], f"{where}.reviewer_rank", RANKS, "rank")
            result[grade] = GradeClock(reviewer_rank=rank, **values)
        return result

    def deadlines(self) -> dict[str, float]:
        table = self.table(self.data, "deadlines", "deadlines")
        self.keys(table, "deadlines", DEADLINE_KEYS)
        return {key: self.hours(table[key], f"deadlines.{key}") for key in DEADLINE_KEYS}

    def harm_clocks(self) -> dict[str, float]:
        table = self.table(self.data, "harm", "harm")
        self.keys(table, "harm", HARM_KEYS)
        return {key: self.hours(table[key], f"harm.{key}") for key in HARM_KEYS}

    def thresholds(self, required: bool) -> dict[str, int]:
        table = self.table(self.data, "thresholds", "thresholds")
        names = tuple(THRESHOLD_LIMITS)
        self.keys(table, "thresholds", names if required else (), () if required else names)
        return {key: self.whole(table[key], f"thresholds.{key}", *THRESHOLD_LIMITS[key])
                for key in names if key in table}

    def ratification(self) -> Ratification:
        table = self.table(self.data, "ratification", "ratification")
        self.keys(table, "ratification", ("default_rank", "high_rank"))
        ranks = {key: self.choice(table[key], f"ratification.{key}", RANKS, "rank")
                 for key in ("default_rank", "high_rank")}
        if not rank_at_least(ranks["default_rank"], "sergeant"):
            self.fail("ratification.default_rank", "only a sergeant or above may ratify")
        if not rank_at_least(ranks["high_rank"], ranks["default_rank"]):
            self.fail("ratification.high_rank", "must be at least the default rank")
        return Ratification(**ranks)

    def action(self, table: dict, where: str, base: Action | None = None) -> Action:
        keys = ("code", "title", "due_hours", "when")
        self.keys(table, where, keys[:1] if base else keys, keys[1:] if base else ())
        return Action(
            code=self.code(table["code"], f"{where}.code"),
            title=self.text(table.get("title", base and base.title), f"{where}.title"),
            due_hours=self.hours(table.get("due_hours", base and base.due_hours),
                                 f"{where}.due_hours"),
            when=self.choice(table.get("when", base and base.when), f"{where}.when",
                             ACTION_WHEN, "'when'"),
        )

    def actions(self) -> dict[str, tuple[Action, ...]]:
        table = self.table(self.data, "actions", "actions")
        self.keys(table, "actions", (), GRADES)
        result = {}
        for grade in GRADES:
            actions: dict[str, Action] = {}
            for position, entry in enumerate(self.tables(table, grade, f"actions.{grade}")):
                action = self.action(entry, f"actions.{grade}[{position}]")
                if action.code in actions:
                    self.fail(f"actions.{grade}", f"action {action.code!r} is listed twice")
                actions[action.code] = action
            result[grade] = tuple(actions.values())
        return result

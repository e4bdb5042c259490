"""Reading a force overlay: every section optional, every change checked against national.

An overlay may add rules, raise factor floors, tighten clocks, deadlines, ratification ranks and
standard actions, change the repeat threshold and set the force's own labels. Anything that
would weaken the national policy is refused with an OverlayError naming the rule or setting.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection

from .errors import OverlayError
from .model import (
    FACTOR_FLOORS,
    GRADES,
    NATIONAL,
    RANKS,
    Action,
    Factor,
    GradeClock,
    Policy,
    Ratification,
    Rule,
    grade_rank,
    rank_at_least,
)
from .parsing import CLOCK_KEYS, DEADLINE_KEYS, HARM_KEYS, NationalReader, frozen
from .rules import weaker_than

OVERLAY_REQUIRED = ("extends", "name", "version", "title")
OVERLAY_OPTIONAL = (
    "labels", "floors", "rules", "clocks", "deadlines", "thresholds", "ratification", "actions",
    "harm",
)


class OverlayReader(NationalReader):
    """A force overlay: every section optional, every change checked against the national."""

    error = OverlayError

    def build(self, national: Policy, force_codes: Collection[str]) -> Policy:
        data = self.data
        self.keys(data, "", OVERLAY_REQUIRED, OVERLAY_OPTIONAL)
        if data["extends"] != NATIONAL:
            self.fail("extends", f"an overlay extends 'national', not {data['extends']!r}")
        name = self.text(data["name"], "name")
        if name not in force_codes:
            self.fail("name", f"{name!r} is not a force code (see forces.csv)")
        factors = self.floors(national)
        version = self.version(data["version"])
        labels = self.labels(self.table(data, "labels", "labels"), "labels", False)
        return self.finish(
            name=name,
            version=f"{version}+{NATIONAL}.{national.version}",
            file_version=version,
            title=self.text(data["title"], "title"),
            extends=NATIONAL,
            factors=factors,
            rules=self.merged_rules(national, factors),
            labels=frozen({**national.labels, **labels}),
            meanings=national.meanings,
            clocks=frozen(self.tightened_clocks(national)),
            deadlines=self.tightened(national.deadlines,
                                     self.table(data, "deadlines", "deadlines"),
                                     "deadlines", DEADLINE_KEYS),
            thresholds=self.hub_tightened(national),
            ratification=self.raised_ratification(national.ratification),
            actions=frozen(self.tightened_actions(national)),
            harm=self.tightened(national.harm, self.table(data, "harm", "harm"), "harm",
                                HARM_KEYS),
        )

    def hub_tightened(self, national: Policy):
        """The repeat threshold may change either way; the exploitation hub only towards seeing
        more hubs (fewer children, a longer window)."""
        changes = self.thresholds(required=False)
        base = national.thresholds
        if changes.get("hub_children", base.hub_children) > base.hub_children:
            self.fail("thresholds.hub_children",
                      f"an overlay may only lower the hub count (national {base.hub_children})")
        if changes.get("hub_window_days", base.hub_window_days) < base.hub_window_days:
            self.fail("thresholds.hub_window_days", "an overlay may only lengthen the hub "
                      f"window (national {base.hub_window_days} days)")
        return dataclasses.replace(base, **changes)

    def floors(self, national: Policy) -> tuple[Factor, ...]:
        floors = self.table(self.data, "floors", "floors")
        index = national.factor_index
        self.keys(floors, "floors", (), tuple(index))
        factors = []
        for factor in national.factors:
            if factor.code in floors:
                where = f"floors.{factor.code}"
                floor = self.choice(floors[factor.code], where, FACTOR_FLOORS, "floor")
                if grade_rank(floor) < grade_rank(factor.floor):
                    self.fail(where, f"lowers the floor from {factor.floor} to {floor}: "
                              "an overlay may only raise floors")
                factor = dataclasses.replace(factor, floor=floor)
            factors.append(factor)
        return tuple(factors)

    def merged_rules(self, national: Policy, factors: tuple[Factor, ...]) -> tuple[Rule, ...]:
        index = {factor.code: factor for factor in factors}
        rules = {rule.id: rule for rule in national.rules}
        added: set[str] = set()
        for position, table in enumerate(self.tables(self.data, "rules", "rules")):
            rule = self.rule(table, position, index)
            if rule.id in added:
                self.fail(f"rule {rule.id!r}", "the id is used twice")
            added.add(rule.id)
            if rule.id in rules:
                problem = weaker_than(rule, rules[rule.id])
                if problem:
                    self.fail(f"rule {rule.id!r}", f"redefines the national rule but {problem}; "
                              "an overlay may only raise national floors")
            rules[rule.id] = rule
        return tuple(rules.values())

    def tightened(self, base, table: dict, section: str, names: tuple[str, ...]):
        """`base` with the settings in `table` applied, each one no looser than before."""
        self.keys(table, section, (), names)
        changes = {}
        for key, value in table.items():
            where = f"{section}.{key}"
            if key == "reviewer_rank":
                value = self.choice(value, where, RANKS, "rank")
                if not rank_at_least(value, base.reviewer_rank):
                    self.fail(where, f"{value} is below the national {base.reviewer_rank}: "
                              "an overlay may only raise the reviewer's rank")
            else:
                value = self.hours(value, where)
                old = getattr(base, key)
                if old is not None and value > old:
                    self.fail(where, f"{value} h would loosen the national {old} h: "
                              "an overlay may only tighten clocks")
            changes[key] = value
        return dataclasses.replace(base, **changes)

    def tightened_clocks(self, national: Policy) -> dict[str, GradeClock]:
        clocks = self.table(self.data, "clocks", "clocks")
        self.keys(clocks, "clocks", (), GRADES)
        return {
            grade: self.tightened(national.clocks[grade],
                                  self.table(clocks, grade, f"clocks.{grade}"),
                                  f"clocks.{grade}", CLOCK_KEYS)
            for grade in GRADES
        }

    def raised_ratification(self, base: Ratification) -> Ratification:
        table = self.table(self.data, "ratification", "ratification")
        self.keys(table, "ratification", (), ("default_rank", "high_rank"))
        changes = {}
        for key, value in table.items():
            where = f"ratification.{key}"
            value = self.choice(value, where, RANKS, "rank")
            if not rank_at_least(value, getattr(base, key)):
                self.fail(where, f"{value} is below the national {getattr(base, key)}: "
                          "an overlay may only raise ratification ranks")
            changes[key] = value
        return dataclasses.replace(base, **changes)

    def tightened_actions(self, national: Policy) -> dict[str, tuple[Action, ...]]:
        table = self.table(self.data, "actions", "actions")
        self.keys(table, "actions", (), GRADES)
        result = {}
        for grade in GRADES:
            actions = {action.code: action for action in national.actions[grade]}
            for position, entry in enumerate(self.tables(table, grade, f"actions.{grade}")):
                where = f"actions.{grade}[{position}]"
                base = actions.get(entry.get("code"))
                action = self.action(entry, where, base)
                if base and action.due_hours > base.due_hours:
                    self.fail(f"{where}.due_hours", f"{action.due_hours} h would loosen the "
                              f"national {base.due_hours} h for {base.code}")
                if base and base.when == "always" and action.when != "always":
                    self.fail(f"{where}.when", f"{base.code} is always required nationally")
                actions[action.code] = action
            result[grade] = tuple(actions.values())
        return result

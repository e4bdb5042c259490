"""Grading consistency (issue 12, ADR 40): how each officer and each team grades compared with
the national policy's recommendation, on a funnel plot, so that units of very different size
can be compared without ranking noise. The inspectorate's first finding, measured.

For a measure (say "graded below the recommendation") the force's rate over the period is the
target. A unit (an officer, a team) with n assessments is expected to land between the exact
binomial limits around that target for n: 95% of units by chance inside the inner limits,
99.8% inside the outer ones. A unit beyond the outer limits is an outlier worth a supervisor's
look, with the assessments behind it. Each unit's own rate carries its 95% Wilson interval.

Counted: the assessments of the period's counted episodes (reported in the period, not
withdrawn; docs/insight-definitions.md). A unit is the assessing officer, or the team the officer
belongs to now. Units with fewer than MIN_ASSESSMENTS are listed but not flagged."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from scipy.stats import binom, binomtest

from mispers.accounts.models import User
from mispers.risk.models import Assessment
from mispers.risk.policy.model import grade_rank

from .measures import counted_episodes
from .miscategorised import wrongly_graded_episodes
from .period import Period

MIN_ASSESSMENTS = 10
INNER, OUTER = 0.95, 0.998
LOW_GRADES = {"no_apparent_risk", "low"}


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    # Which assessments count in the denominator, and which are the events.
    of: str  # "all" assessments, or only those "below" the recommendation

    def counts(self, row: dict) -> bool:
        return self.of == "all" or row["below"]

    def event(self, row: dict) -> bool:
        if self.code == "differs":
            return row["chosen"] != row["recommended"]
        if self.code == "below":
            return row["below"]
        if self.code == "declined":
            return row["status"] == Assessment.Status.DECLINED
        if self.code == "wrongly":
            return row["wrongly"]
        return row["chosen"] in LOW_GRADES


MEASURES = {m.code: m for m in [
    Measure("differs", "Chosen grade differs from the recommendation", "all"),
    Measure("below", "Graded below the recommendation", "all"),
    Measure("declined", "Downgrades declined at ratification", "below"),
    Measure("low", "Graded no apparent risk or low", "all"),
    # Issue 12: the coordinator's findings on possibly miscategorised episodes feed back here.
    Measure("wrongly", "First grades found wrong on review", "all"),
]}
UNITS = {"officer": "Officer", "team": "Team"}


@dataclass(frozen=True)
class UnitRate:
    unit_id: str
    name: str
    events: int
    n: int
    rate: float
    interval: tuple[float, float]
    inner: tuple[float, float]
    outer: tuple[float, float]

    @property
    def flagged(self) -> bool:
        return self.n >= MIN_ASSESSMENTS

    @property
    def outlier(self) -> str:
        """"above" or "below" the outer limits, or "" (also for units too small to judge)."""
        if not self.flagged:
            return ""
        if self.rate > self.outer[1]:
            return "above"
        if self.rate < self.outer[0]:
            return "below"
        return ""


@dataclass(frozen=True)
class Consistency:
    measure: Measure
    unit: str
    target: float | None
    events: int
    n: int
    units: list[UnitRate]

    @property
    def outliers(self) -> list[UnitRate]:
        return [u for u in self.units if u.outlier]


def limits(target: float, n: int, level: float) -> tuple[float, float]:
    """The exact binomial limits, as rates, within which a unit of n assessments lands with
    probability `level` when its true rate is the target."""
    tail = (1 - level) / 2
    return (float(binom.ppf(tail, n, target)) / n, float(binom.ppf(1 - tail, n, target)) / n)


def wilson(events: int, n: int) -> tuple[float, float]:
    interval = binomtest(events, n).proportion_ci(confidence_level=0.95, method="wilson")
    return float(interval.low), float(interval.high)


def assessment_rows(*, force_id, period: Period) -> list[dict]:
    """One row per assessment of the period's counted episodes: who assessed, their team, the
    recommended and chosen grades and the ratification status."""
    episodes = counted_episodes(force_id=force_id, period=period)
    rows = list(Assessment.objects.filter(episode__in=episodes).values(
        "id", "episode_id", "episode__reference", "assessed_at", "assessed_by_id", "sequence",
        "assessed_by__team_id", "assessed_by__team__name", "recommended_grade",
        "chosen_grade", "status"))
    names = officer_names({r["assessed_by_id"] for r in rows})
    wrong = wrongly_graded_episodes(episode_ids={r["episode_id"] for r in rows})
    return [{"id": r["id"], "episode_id": r["episode_id"],
             "reference": r["episode__reference"], "assessed_at": r["assessed_at"],
             "officer": str(r["assessed_by_id"]),
             "officer_name": names.get(str(r["assessed_by_id"]), "Unknown"),
             "team": str(r["assessed_by__team_id"] or "none"),
             "team_name": r["assessed_by__team__name"] or "No team",
             "recommended": r["recommended_grade"], "chosen": r["chosen_grade"],
             "status": r["status"],
             "wrongly": r["sequence"] == 1 and r["episode_id"] in wrong,
             "below": grade_rank(r["chosen_grade"]) < grade_rank(r["recommended_grade"])}
            for r in rows]


def officer_names(ids) -> dict[str, str]:
    return {str(u.pk): u.display_with_rank for u in User.objects.filter(pk__in=list(ids))}


def consistency(rows: list[dict], *, measure: str, unit: str) -> Consistency:
    """The funnel of `measure` over units of `unit` ("officer" or "team") from assessment rows."""
    m = MEASURES[measure]
    counted = [r for r in rows if m.counts(r)]
    events = sum(m.event(r) for r in counted)
    target = events / len(counted) if counted else None
    by_unit: dict[str, list[dict]] = defaultdict(list)
    for row in counted:
        by_unit[row[unit]].append(row)
    name_of = "officer_name" if unit == "officer" else "team_name"
    names = {r[unit]: r.get(name_of, r[unit]) for r in counted}
    units = []
    for unit_id, unit_rows in by_unit.items():
        n = len(unit_rows)
        k = sum(m.event(r) for r in unit_rows)
        units.append(UnitRate(
            unit_id=unit_id, name=names.get(unit_id, "Unknown"), events=k, n=n, rate=k / n,
            interval=wilson(k, n),
            inner=limits(target, n, INNER), outer=limits(target, n, OUTER)))
    units.sort(key=lambda u: (u.outlier == "", -u.n, u.name))
    return Consistency(measure=m, unit=unit, target=target, events=events, n=len(counted),
                       units=units)


def behind(rows: list[dict], *, measure: str, unit: str, unit_id: str) -> list[dict]:
    """The assessments behind a unit's rate: those counted for the measure, events first."""
    m = MEASURES[measure]
    mine = [r for r in rows if r[unit] == unit_id and m.counts(r)]
    return sorted(mine, key=lambda r: (not m.event(r), r["assessed_at"]), reverse=False)


# --- same facts, different grades ------------------------------------------------------------

@dataclass(frozen=True)
class SameFacts:
    """Assessments with the same answers and context, graded differently by different
    officers: the inconsistency itself, not a rate."""

    yes: tuple[str, ...]        # the factors answered yes
    unknown: tuple[str, ...]    # the factors answered unknown
    context: dict
    grades: dict[str, int]      # chosen grade: assessments
    officers: int
    assessment_ids: tuple


def _age_band(age: int) -> str:
    return "under 12" if age < 12 else "12–13" if age < 14 else "14–15" if age < 16 else "16–17"


def same_facts_groups(*, force_id, period: Period, limit: int = 20) -> list[SameFacts]:
    """Groups of two or more assessments with the same answer to every question and the same
    context (age band, looked after, missing from, earlier episodes in 90 days, exploitation
    marker), chosen grades that differ, by at least two officers. Largest spread first."""
    from mispers.risk.models import FactorAnswer

    episodes = counted_episodes(force_id=force_id, period=period)
    assessments = list(Assessment.objects.filter(episode__in=episodes).values(
        "id", "assessed_by_id", "chosen_grade", "age_at_report", "looked_after",
        "missing_from", "earlier_episodes_90d", "exploitation_marker"))
    answers: dict = defaultdict(list)
    for row in FactorAnswer.objects.filter(assessment__episode__in=episodes).values_list(
            "assessment_id", "factor", "answer"):
        answers[row[0]].append((row[1], row[2]))
    groups: dict = defaultdict(list)
    for a in assessments:
        context = (_age_band(a["age_at_report"]), a["looked_after"], a["missing_from"],
                   min(a["earlier_episodes_90d"], 3), a["exploitation_marker"])
        groups[(tuple(sorted(answers[a["id"]])), context)].append(a)
    found = []
    for (given, context), members in groups.items():
        grades = defaultdict(int)
        for a in members:
            grades[a["chosen_grade"]] += 1
        officers = {a["assessed_by_id"] for a in members}
        if len(grades) < 2 or len(officers) < 2:
            continue
        found.append(SameFacts(
            yes=tuple(f for f, answer in given if answer == "yes"),
            unknown=tuple(f for f, answer in given if answer == "unknown"),
            context={"age": context[0], "looked_after": context[1],
                     "missing_from": context[2], "earlier_90d": context[3],
                     "exploitation_marker": context[4]},
            grades=dict(sorted(grades.items(), key=lambda g: -grade_rank(g[0]))),
            officers=len(officers), assessment_ids=tuple(a["id"] for a in members)))
    found.sort(key=lambda g: (-(max(map(grade_rank, g.grades)) - min(map(grade_rank, g.grades))),
                              -len(g.assessment_ids)))
    return found[:limit]

"""The national dashboard (issue 13): the forces compared on the same measures with funnel
plots (each force's rate against its number of cases, with the England and Wales rate and its
95% and 99.8% limits), the way ADR 40 compares officers: consistency between forces, which the
inspectorate found lacking, made visible. Computed from the records the forces sent, for a
financial year."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from mispers.insights.consistency import INNER, OUTER, Consistency, UnitRate, limits, wilson
from mispers.insights.measures import RHI_OFFER_HOURS
from mispers.risk.policy.loader import known_force_codes

from .tables import ForceRecords, Year, _when, records_by_force


@dataclass(frozen=True)
class NationalMeasure:
    code: str
    label: str
    of: str  # what the denominator counts, for the axis and the table


MEASURES = {m.code: m for m in [
    NationalMeasure("no_apparent_risk", "Graded no apparent risk (first grade)",
                    "Graded incidents"),
    NationalMeasure("rhi_in_72h", "Return-home interview offered within 72 hours", "Referrals"),
    NationalMeasure("prevention_held", "Prevention interview held", "Children found"),
    NationalMeasure("repeat", "Repeat incidents", "Incidents"),
]}


def force_counts(*, year: Year) -> dict[str, Counter]:
    """Per force: the events and denominators of every measure for the year's incidents."""
    counts = {}
    for force, records in records_by_force():
        tally = Counter()
        held = ForceRecords(records)
        prevention = {d["episode"]: d for d in records["interview"].values()
                      if d["interview"] == "prevention"}
        return_home = {d["episode"]: d for d in records["interview"].values()
                       if d["interview"] == "return_home"}
        for episode_id, _data, reported, child_id in held.in_year(year):
            tally["incidents"] += 1
            tally["repeat"] += held.is_repeat(child_id, reported)
            first = held.first_assessment.get(episode_id)
            if first:
                tally["graded"] += 1
                tally["no_apparent_risk"] += first["effective_grade"] == "no_apparent_risk"
            found = held.outcomes.get(episode_id)
            if found and found["condition"] != "deceased":
                tally["found"] += 1
                interview = prevention.get(episode_id)
                tally["prevention_held"] += bool(interview and interview.get("held_at")
                                                 and not interview.get("waived"))
            referral = return_home.get(episode_id)
            if referral and found:
                tally["referrals"] += 1
                offered = _when(referral.get("offered_at"))
                tally["rhi_in_72h"] += bool(offered and (offered - _when(found["found_at"]))
                                            <= dt.timedelta(hours=RHI_OFFER_HOURS))
        counts[force] = tally
    return counts


DENOMINATOR = {"no_apparent_risk": "graded", "rhi_in_72h": "referrals",
               "prevention_held": "found", "repeat": "incidents"}


def funnel(counts: dict[str, Counter], code: str) -> Consistency:
    """Each force's rate of the measure with its interval and the funnel limits around the
    England and Wales rate (the `Consistency` the force's own funnel plot draws)."""
    measure = MEASURES[code]
    of = DENOMINATOR[code]
    events = sum(c[code] for c in counts.values())
    n = sum(c[of] for c in counts.values())
    target = events / n if n else None
    known = known_force_codes()
    units = []
    for force, tally in sorted(counts.items()):
        if tally[of] == 0 or force not in known:
            continue
        k, m = tally[code], tally[of]
        units.append(UnitRate(unit_id=force, name=force, events=k, n=m, rate=k / m,
                              interval=wilson(k, m), inner=limits(target, m, INNER),
                              outer=limits(target, m, OUTER)))
    units.sort(key=lambda u: (u.outlier == "", u.name))
    return Consistency(measure=measure, unit="force", target=target, events=events, n=n,
                       units=units)

"""The national dashboard (issue 13): the forces compared on the same measures with funnel
plots (each force's rate against its number of cases, with the England and Wales rate and its
95% and 99.8% limits), the way ADR 40 compares officers: consistency between forces, which the
inspectorate found lacking, made visible. Computed from the records the forces sent, for a
financial year."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q

from mispers.insights.consistency import INNER, OUTER, Consistency, UnitRate, limits, wilson
from mispers.risk.policy.loader import known_force_codes

from .models import NationalIncident
from .tables import Year


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
    """Per force: the events and denominators of every measure for the year's incidents,
    counted in the database over the national incidents (ADR 48), one row per force."""
    def count(**where) -> Count:
        return Count("id", filter=Q(**where))

    rows = (NationalIncident.objects.filter(year=year.first).values("force_code")
            .annotate(incidents=Count("id"), repeat=count(repeat=True),
                      graded=Count("id", filter=~Q(grade="not_graded")),
                      no_apparent_risk=count(grade="no_apparent_risk"),
                      found=Count("id", filter=Q(condition__isnull=False)
                                  & ~Q(condition="deceased")),
                      prevention_held=count(prevention_held=True),
                      referrals=count(rhi_referred=True), rhi_in_72h=count(rhi_in_72h=True))
            .order_by("force_code"))
    return {row.pop("force_code"): Counter(row) for row in rows}


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

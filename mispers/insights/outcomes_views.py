"""Outcomes by grade (issue 12, ADR 40): the harm rate by initial grade with intervals, per
policy version, its CSV; aggregates only."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from mispers.core.clock import now
from mispers.core.views import csv_response
from mispers.risk.services import policy_for_force

from . import suppression
from .forms import PeriodOnlyForm
from .outcomes import outcomes_by_grade
from .permissions import sees_suppressed
from .presentation import as_percent
from .views import _period, aggregates_required


def outcome_rows(table, labels, *, suppress: bool = False) -> list[list]:
    rows = [[labels.get(g.grade, g.grade), g.found, g.harmed, as_percent(g.rate),
             f"{as_percent(g.interval[0])}–{as_percent(g.interval[1])}" if g.interval else "–"]
            for g in table.by_grade]
    if suppress:  # ADR 41: the commissioner's office
        for row, g in zip(rows, table.by_grade, strict=True):
            if suppression.share(g.harmed, g.found, 0) == suppression.FEWER:
                row[1:] = [suppression.count(g.found), suppression.count(g.harmed),
                           suppression.FEWER, "–"]
    return rows


def _summary(table, *, suppress: bool) -> dict:
    high = next(g for g in table.by_grade if g.grade == "high")
    harmed_not_high, high_no_harm = (as_percent(table.harmed_not_high),
                                     as_percent(table.high_no_harm))
    if suppress:
        harmed_not_high = suppression.share(table.harmed - high.harmed, table.harmed,
                                            harmed_not_high)
        high_no_harm = suppression.share(high.found - high.harmed, high.found, high_no_harm)
    return {"harmed_not_high": harmed_not_high, "high_no_harm": high_no_harm,
            "harmed": suppression.count(table.harmed) if suppress else table.harmed}


@aggregates_required
def outcomes(request):
    form = PeriodOnlyForm(request.GET or None)
    period = _period(request, form, timezone.localdate(now()))
    if period is None:
        return render(request, "insights/outcomes.html", {"form": form}, status=400)
    if not form.is_bound:
        form = PeriodOnlyForm(initial={"first": period.first, "last": period.last})
    labels = policy_for_force(request.user.force).labels
    suppress = sees_suppressed(request.user)
    tables = outcomes_by_grade(force_id=request.user.force_id, period=period)
    wanted = request.GET.get("download")
    if wanted == "outcomes":
        return csv_response(
            f"outcomes-by-grade-{period.first}-{period.last}.csv",
            ["policy version", "initial grade", "found", "harmed", "harm rate",
             "95% interval"],
            [[t.policy_version, *row] for t in tables
             for row in outcome_rows(t, labels, suppress=suppress)])
    return render(request, "insights/outcomes.html", {
        "form": form, "period": period, "query": request.GET.urlencode(),
        "suppressed": suppress,
        "tables": [{"table": t, "rows": outcome_rows(t, labels, suppress=suppress),
                    **_summary(t, suppress=suppress)} for t in tables]})


@aggregates_required
def deep_dive(request):
    """The deep dive as a PDF for the period asked (the last 12 whole months by default),
    always with small numbers suppressed: it is made to leave the system (ADR 41)."""
    from django.http import HttpResponse

    from .deep_dive import deep_dive_pdf

    form = PeriodOnlyForm(request.GET or None)
    current = now()
    period = _period(request, form, timezone.localdate(current))
    if period is None:
        return render(request, "insights/outcomes.html", {"form": form}, status=400)
    pdf = deep_dive_pdf(force=request.user.force, period=period, now=current)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (f'attachment; filename="deep-dive-{request.user.force_id}'
                                       f'-{period.first}-{period.last}.pdf"')
    return response

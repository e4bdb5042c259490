"""Grading consistency pages (issue 12, ADR 40): the funnel plot of officers or teams for a
measure and period, its table and CSV, and for supervisors the assessments behind a unit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from mispers.accounts.audit import log_shown
from mispers.accounts.rules import can_read_cases
from mispers.core.clock import now
from mispers.core.views import csv_response
from mispers.episodes.models import Episode, MissingFrom
from mispers.risk.models import Assessment
from mispers.risk.policy import FACTORS
from mispers.risk.services import policy_for_force

from . import charts
from .consistency import (
    MEASURES,
    UNITS,
    assessment_rows,
    behind,
    consistency,
    same_facts_groups,
)
from .forms import ConsistencyForm
from .presentation import as_percent
from .views import _period, insights_required


def _asked(request):
    """The form, the period (None when the form or the period cannot be used), the measure and
    the unit asked for."""
    current = now()
    form = ConsistencyForm(request.GET or None)
    period = _period(request, form, timezone.localdate(current))
    if period is None:
        return form, None, "", ""
    return form, period, form.choice("measure", "below"), form.choice("unit", "officer")


@insights_required
def grading_consistency(request):
    form, period, measure, unit = _asked(request)
    if period is None:
        return render(request, "insights/consistency.html", {"form": form}, status=400)
    if not form.is_bound:
        form = ConsistencyForm(initial={"first": period.first, "last": period.last,
                                        "measure": measure, "unit": unit})
    rows = assessment_rows(force_id=request.user.force_id, period=period)
    result = consistency(rows, measure=measure, unit=unit)
    table = [[u.name, u.n, u.events, as_percent(u.rate),
              f"{as_percent(u.interval[0])}–{as_percent(u.interval[1])}",
              f"{as_percent(u.outer[0])}–{as_percent(u.outer[1])}",
              {"above": "Above", "below": "Below"}.get(u.outlier, "")] for u in result.units]
    if request.GET.get("download") == "units":
        return csv_response(
            f"grading-{measure}-by-{unit}-{period.first}-{period.last}.csv",
            [UNITS[unit], "assessments", "events", "rate", "95% interval", "99.8% limits",
             "outlier"], table)
    grades = policy_for_force(request.user.force).labels
    questions = {code: factor.question for code, factor in FACTORS.items()}
    missing_from = dict(MissingFrom.choices)
    same = [{"yes": [questions.get(f, f) for f in g.yes],
             "unknown": len(g.unknown), "context": g.context,
             "missing_from": missing_from.get(g.context["missing_from"], ""),
             "grades": [(grades.get(code, code), n) for code, n in g.grades.items()],
             "officers": g.officers, "n": len(g.assessment_ids)}
            for g in same_facts_groups(force_id=request.user.force_id, period=period)]
    return render(request, "insights/consistency.html", {
        "form": form, "period": period, "result": result, "same_facts": same,
        "rows": zip(result.units, table, strict=True),
        "chart": charts.funnel(result), "unit_label": UNITS[unit],
        "target": as_percent(result.target) if result.target is not None else "–",
        "may_open_records": can_read_cases(request.user),
        "query": request.GET.urlencode(), "measure": measure, "unit": unit,
    })


@insights_required
def assessments_behind(request, unit, unit_id):
    """The assessments behind one unit's rate: for those who may open case records (the
    coordinator, inspectors and superintendents), never for the analyst alone."""
    if not can_read_cases(request.user):
        raise PermissionDenied("The assessments behind a rate are case records")
    if unit not in UNITS:
        raise Http404("Not found")
    form, period, measure, _unit = _asked(request)
    if period is None:
        return render(request, "insights/consistency.html", {"form": form}, status=400)
    rows = assessment_rows(force_id=request.user.force_id, period=period)
    result = consistency(rows, measure=measure, unit=unit)
    found = next((u for u in result.units if u.unit_id == str(unit_id)), None)
    if found is None:
        raise Http404("Not found")
    listed = behind(rows, measure=measure, unit=unit, unit_id=found.unit_id)
    episodes = Episode.objects.filter(pk__in={r["episode_id"] for r in listed})
    log_shown(request, list(episodes))
    m = MEASURES[measure]
    grades = policy_for_force(request.user.force).labels
    statuses = dict(Assessment.Status.choices)
    shown = [({**r, "recommended_label": grades.get(r["recommended"], r["recommended"]),
               "chosen_label": grades.get(r["chosen"], r["chosen"]),
               "status_label": statuses.get(r["status"], r["status"])}, m.event(r))
             for r in listed]
    return render(request, "insights/consistency_assessments.html", {
        "unit": found, "unit_label": UNITS[unit], "measure": m, "period": period,
        "rows": shown, "query": request.GET.urlencode(), "rate": as_percent(found.rate),
        "target": as_percent(result.target)})

"""The force picture (issue 12): the figures of docs/insight-definitions.md for a period, beside
the period before and a year earlier, each table downloadable as CSV. Aggregates only."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from mispers.accounts.models import Area, Team
from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.views import add_domain_error, csv_response, require
from mispers.places.models import PlaceKind

from . import engine, exploitation, suppression
from .forms import PeriodForm
from .measures import DAYS, overdue_now
from .period import last_full_months, period_check
from .permissions import can_see_aggregates, can_see_insights, sees_suppressed
from .presentation import as_percent, breakdowns, headline, headline_suppressed

insights_required = require(can_see_insights)
aggregates_required = require(can_see_aggregates)
LABELS_KIND = dict(PlaceKind.choices)
SHARES = {"no_apparent_risk_share", "prevention_interview_in_time", "rhi_offered_in_72h",
          "rhi_accepted", "rhi_completed", "reviews_on_time", "concentration"}


def _period(request, form, today):
    """The period asked for, or the last 12 whole months when none was; None (with the error on
    the form) when the period or a filter cannot be used."""
    if form.is_bound and not form.is_valid():
        return None
    if not any(request.GET.get(f"{end}_{part}") or request.GET.get(end)
               for end in ("first", "last") for part in ("day", "month", "year")):
        return last_full_months(today=today)  # nothing chosen: the last 12 whole months
    try:
        return period_check(first=form.cleaned_data["first"], last=form.cleaned_data["last"],
                            today=today)
    except DomainError as error:
        add_domain_error(form, error)
        return None


def hour_by_day_rows(figures) -> list[tuple[str, list[int]]]:
    return [(DAYS[day], [figures.hour_by_day.get((day, hour), 0) for hour in range(24)])
            for day in range(7)]


@aggregates_required
def force_picture(request):
    current = now()
    today = timezone.localdate(current)
    force_id = request.user.force_id
    choices = {"teams": Team.objects.filter(force_id=force_id).order_by("name"),
               "areas": Area.objects.filter(force_id=force_id).order_by("name")}
    form = PeriodForm(request.GET or None, **choices)
    period = _period(request, form, today)
    if period is None:
        return render(request, "insights/force_picture.html", {"form": form}, status=400)
    filters = form.filters()
    if not form.is_bound:  # the default period, shown in the boxes
        form = PeriodForm(initial={"first": period.first, "last": period.last}, **choices)
    periods = [period, period.previous(), period.year_before()]
    stamp = engine.data_stamp(force_id=force_id, now=current)
    figures = engine.figures(force_id=force_id, periods=periods, now=current, filters=filters,
                             stamp=stamp)
    # The commissioner's office sees small numbers suppressed, no chart (a chart would show
    # them), no named place and no curve (ADR 41).
    suppress = sees_suppressed(request.user)
    heads = [headline_suppressed(f) if suppress else headline(f) for f in figures]
    rows = [(code, label, [head[i][2] for head in heads])
            for i, (code, label, _v) in enumerate(heads[0])]
    tables = breakdowns(figures[0])
    by_month = dict(figures[0].by_month)
    hours = hour_by_day_rows(figures[0])
    place_tables = [(code, title, [(name, LABELS_KIND.get(kind, kind), *rest)
                                   for name, kind, *rest in getattr(figures[0], code)])
                    for code, title in (("missing_from_places",
                                         "Places children went missing from"),
                                        ("found_places", "Places children were found at"))]
    curve = figures[0].concentration_curve
    exploited = exploitation.tables(
        engine.exploitation(force_id=force_id, period=period, now=current, filters=filters,
                            stamp=stamp),
        suppress=sees_suppressed(request.user))
    if suppress:
        tables = [(code, title, [(key, label, value) for (key, label, _c), value
                                 in zip(table, suppression.counts([c for _k, _l, c in table]),
                                        strict=True)])
                  for code, title, table in tables]
        by_month = dict(zip(by_month, suppression.counts(list(by_month.values())),
                            strict=True))
        hours = [(day, [suppression.count(c) for c in counts]) for day, counts in hours]
        place_tables, curve = [], []
    wanted = request.GET.get("download")
    if wanted == "headline":
        return csv_response(f"force-picture-{period.first}-{period.last}.csv",
                            ["figure", "code", str(periods[0]), str(periods[1]), str(periods[2])],
                            [[label, code, *values] for code, label, values in rows])
    if wanted == "by_month":
        return csv_response(f"by-month-{period.first}-{period.last}.csv", ["month", "incidents"],
                            list(by_month.items()))
    if wanted == "hour_by_day":
        return csv_response(f"hour-by-day-{period.first}-{period.last}.csv",
                            ["day", *[f"{hour:02d}:00" for hour in range(24)]],
                            [[day, *counts] for day, counts in hours])
    for code, _title, places in place_tables:
        if wanted == code:
            return csv_response(f"{code}-{period.first}-{period.last}.csv",
                                ["place", "kind", "provider", "incidents", "children",
                                 "children placed there now"], places)
    for code, title, table in exploited:
        if wanted == code:
            return csv_response(f"{code}-{period.first}-{period.last}.csv",
                                [title, "code", "incidents", "children"],
                                [[label, key, n, c] for key, label, n, c in table])
    if wanted == "concentration_curve" and not suppress:
        return csv_response(f"concentration-{period.first}-{period.last}.csv",
                            ["share of children", "share of incidents"], curve)
    for code, title, table in tables:
        if wanted == code:
            return csv_response(f"{code}-{period.first}-{period.last}.csv",
                                [title, "code", "count"],
                                [[label, key, count] for key, label, count in table])
    shown = [(code, label, [v if v == suppression.FEWER else as_percent(v) if code in SHARES
                            else ("–" if v is None else v) for v in values])
             for code, label, values in rows]
    return render(request, "insights/force_picture.html", {
        "form": form, "period": period, "periods": periods, "rows": shown, "tables": tables,
        "suppressed": suppress,
        "charts": {} if suppress else engine.charts(
            force_id=force_id, period=period, now=current, figures=figures[0], filters=filters,
            stamp=stamp),
        "by_month": by_month, "hour_by_day": hours, "place_tables": place_tables,
        "exploitation": exploited,
        "curve": curve, "hours": [f"{hour:02d}" for hour in range(24)],
        "overdue_now": suppression.count(overdue_now(force_id=force_id, now=current))
        if suppress else overdue_now(force_id=force_id, now=current),
        "query": request.GET.urlencode(),
    })

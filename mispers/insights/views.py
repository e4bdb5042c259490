"""The force picture (issue 12): the figures of docs/insight-definitions.md for a period, beside
the period before and a year earlier, each table downloadable as CSV. Aggregates only."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.views import add_domain_error, require

from .forms import PeriodForm
from .measures import force_figures, overdue_now
from .period import last_full_months, period_check
from .permissions import can_see_insights
from .presentation import as_percent, breakdowns, headline

insights_required = require(can_see_insights)
SHARES = {"no_apparent_risk_share", "prevention_interview_in_time", "rhi_offered_in_72h",
          "rhi_accepted", "rhi_completed", "reviews_on_time", "concentration"}


def _period(request, form, today):
    if not any(request.GET.get(f"{end}_{part}") or request.GET.get(end)
               for end in ("first", "last") for part in ("day", "month", "year")):
        return last_full_months(today=today)  # nothing chosen: the last 12 whole months
    if not form.is_valid():
        return None
    try:
        return period_check(first=form.cleaned_data["first"], last=form.cleaned_data["last"],
                            today=today)
    except DomainError as error:
        add_domain_error(form, error)
        return None


@insights_required
def force_picture(request):
    current = now()
    today = timezone.localdate(current)
    form = PeriodForm(request.GET or None)
    period = _period(request, form, today)
    if not form.is_bound:  # the default period, shown in the boxes
        form = PeriodForm(initial={"first": period.first, "last": period.last})
    if period is None:
        return render(request, "insights/force_picture.html", {"form": form}, status=400)
    force_id = request.user.force_id
    periods = [period, period.previous(), period.year_before()]
    figures = [force_figures(force_id=force_id, period=p, now=current) for p in periods]
    rows = [(code, label, [value for _c, _l, value in (headline(f)[i] for f in figures)])
            for i, (code, label, _v) in enumerate(headline(figures[0]))]
    if request.GET.get("download") == "headline":
        return _csv(f"force-picture-{period.first}-{period.last}.csv",
                    ["figure", "code", str(periods[0]), str(periods[1]), str(periods[2])],
                    [[label, code, *values] for code, label, values in rows])
    tables = breakdowns(figures[0])
    wanted = request.GET.get("download")
    for code, title, table in tables:
        if wanted == code:
            return _csv(f"{code}-{period.first}-{period.last}.csv", [title, "code", "count"],
                        [[label, key, count] for key, label, count in table])
    shown = [(code, label, [as_percent(v) if code in SHARES else ("–" if v is None else v)
                            for v in values]) for code, label, values in rows]
    return render(request, "insights/force_picture.html", {
        "form": form, "period": period, "periods": periods, "rows": shown, "tables": tables,
        "overdue_now": overdue_now(force_id=force_id, now=current),
        "query": request.GET.urlencode(),
    })


def _csv(filename: str, header: list, rows: list) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response

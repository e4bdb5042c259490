"""The analyst's page (/analysis/): counts over a period and the latest pseudonymised rows
(docs/adr/0018-least-privilege.md). Nothing here names a child or shows free text."""

from django.shortcuts import render
from django.utils import timezone

from mispers.accounts.audit import log_shown
from mispers.accounts.rules import can_analyse
from mispers.core.clock import now as clock_now
from mispers.core.views import _require

from .forms import PeriodForm
from .selectors import Period, analysis_counts, analysis_episodes, analysis_rows

LATEST = 20

analyst_required = _require(can_analyse)


@analyst_required
def overview(request):
    now = clock_now()
    form = PeriodForm(request.GET or None)
    days = (form.cleaned_data.get("days") if form.is_valid() else None) or 90
    period = Period.ending(timezone.localdate(now), days=days)
    counts = analysis_counts(user=request.user, period=period)
    latest = list(analysis_episodes(user=request.user, first=period.first,
                                    last=period.last)[:LATEST])
    log_shown(request, [(row["id"], row["child_id"]) for row in latest],
              object_type="analysis_episode", now=now)
    return render(request, "analysis/overview.html", {
        "form": form, "days": days, "counts": counts, "rows": analysis_rows(latest),
        "periods": PeriodForm.base_fields["days"].choices,
    })

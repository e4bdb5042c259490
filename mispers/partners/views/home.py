"""The partner home: the organisation's children, who is missing now, and what is due."""

import datetime as dt

from django.core.paginator import Paginator
from django.shortcuts import render

from mispers.core.clock import now
from mispers.core.views import log_shown

from ..selectors import (
    PARTNER_STATUS,
    RHI_DUE_HOURS,
    caseload_for,
    caseload_rows,
    missing_now_for,
    profile_is_stale,
)
from . import partner_required

PAGE_SIZE = 50  # as the police open list


def rhi_due(episode) -> dt.datetime | None:
    """The return-home interview still to do: the referral's due time, or 72 hours from the
    found time before the referral is made."""
    if episode is None or episode.state not in ("found", "closed"):
        return None
    rhi = getattr(episode, "return_home_interview", None)
    if rhi is not None:
        return None if rhi.completed_at or rhi.response == "declined" else rhi.due_at
    found = getattr(episode, "found", None)
    if found is not None and episode.state == "found":
        return found.found_at + dt.timedelta(hours=RHI_DUE_HOURS)
    return None


@partner_required
def home(request):
    current = now()
    today = current.date()
    page = Paginator(caseload_for(user=request.user, on=today), PAGE_SIZE).get_page(
        request.GET.get("page"))
    rows = [{
        "child": row.child, "age": row.child.age_on(today), "episode": row.episode,
        "status": PARTNER_STATUS.get(row.episode.state, "") if row.episode else "",
        "rhi_due": rhi_due(row.episode),
        "profile": "none" if row.profile is None else (
            "stale" if profile_is_stale(row.profile, today=today) else "ok"),
    } for row in caseload_rows(user=request.user, children=list(page.object_list))]
    missing = list(missing_now_for(user=request.user, on=today))
    # The list names the organisation's children: it is a view of their records too.
    log_shown(request, [*(row["child"] for row in rows), *missing], now=current)
    return render(request, "partners/home.html", {
        "organisation": request.user.organisation, "page": page, "rows": rows,
        "missing": missing, "now": current,
    })

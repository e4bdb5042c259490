"""The data quality page (issue 12, ADR 39): each rule's score for a period, by team and by
month, and each rule's fix list (paged) linking to the records, for those who may open them.
Every table downloads as CSV; every child a fix list shows or exports is in the access log."""

from __future__ import annotations

import altair as alt
from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from mispers.accounts.models import Team
from mispers.core.clock import now
from mispers.core.forms import GovukDateField
from mispers.core.views import csv_response, log_shown

from . import charts
from .presentation import as_percent
from .quality import (
    EPISODE_RULES,
    FIX_PAGE_SIZE,
    RULES,
    RULES_BY_CODE,
    Tally,
    force_quality,
    may_open,
    overall,
)
from .quality import (
    fix_rows as quality_fix_rows,
)
from .views import _period, insights_required

TEMPLATE = "insights/quality.html"
NO_TEAM = "No team recorded"


class QualityForm(forms.Form):
    """The period, a team, and the rule whose fix list to show (GET, no JavaScript needed)."""

    first = GovukDateField(label="First day", required=False, noun="The first day")
    last = GovukDateField(label="Last day", required=False, noun="The last day")
    team = forms.ChoiceField(label="Team", required=False, error_messages={
        "invalid_choice": "Choose one of your force's teams"})
    rule = forms.ChoiceField(
        label="Show the fix list of", required=False,
        choices=[("", "No rule"), *[(rule.code, rule.label) for rule in RULES]],
        error_messages={"invalid_choice": "Choose one of the data quality rules listed"})

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All teams")] + [(str(t.pk), t.name) for t in teams]

    def chosen(self, name: str) -> str:
        return (self.cleaned_data.get(name) or "") if self.is_bound else ""


def _score(tally: Tally):
    return round(tally.score, 4) if tally.score is not None else None


def _csv_rows(label: str, tallies: dict, rules) -> list[list]:
    """Long-format rows (group, rule, code, checked, to fix, score): each rule, then overall."""
    rows = [[label, rule.label, rule.code, tallies[rule.code].checked,
             tallies[rule.code].failing, _score(tallies[rule.code])] for rule in rules]
    total = overall(tallies[rule.code] for rule in rules)
    return rows + [[label, "All these rules", "overall", total.checked, total.failing,
                    _score(total)]]


def trend_chart(month_rows) -> str:
    """The overall score by month of report (drawn on the server; the table beside it is what
    a screen reader reads)."""
    values = [{"month": month, "score": total.score} for month, total, _ in month_rows
              if total.score is not None]
    return charts._svg(alt.Chart(alt.Data(values=values)).mark_line(
        color=charts.COLOUR, point=True).encode(
        x=alt.X("month:O", title="Month of report"),
        y=alt.Y("score:Q", title="Checks passed", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"))).properties(width=charts.WIDTH, height=180))


@insights_required
def data_quality(request):
    current = now()
    today = timezone.localdate(current)
    force_id = request.user.force_id
    teams = list(Team.objects.filter(force_id=force_id).order_by("name"))
    form = QualityForm(request.GET or None, teams=teams)
    period = _period(request, form, today)
    if period is None:
        return render(request, TEMPLATE, {"form": form}, status=400)
    team_id = int(form.chosen("team")) if form.chosen("team") else None
    rule = RULES_BY_CODE.get(form.chosen("rule"))
    if not form.is_bound:  # the default period, shown in the boxes
        form = QualityForm(initial={"first": period.first, "last": period.last}, teams=teams)
    quality = force_quality(force_id=force_id, period=period, now=current, team_id=team_id)
    names = {team.pk: team.name for team in teams}
    team_rows = sorted(
        ((names.get(pk, NO_TEAM), [tallies[r.code] for r in EPISODE_RULES],
          overall(tallies.values())) for pk, tallies in quality.by_team.items()),
        key=lambda row: (row[0] == NO_TEAM, row[0]))
    month_rows = [(month, overall(tallies.values()), [tallies[r.code] for r in RULES])
                  for month, tallies in quality.by_month.items()]
    stem = f"{period.first}-{period.last}"

    wanted = request.GET.get("download")
    if wanted == "rules":
        return csv_response(f"data-quality-{stem}.csv",
                            ["rule", "code", "records checked", "to fix", "score",
                             "what it checks", "what it counts", "who fixes it"],
                            [[r.label, r.code, quality.totals[r.code].checked,
                              quality.totals[r.code].failing, _score(quality.totals[r.code]),
                              r.checks, r.counts, r.fixer] for r in RULES]
                            + [["All rules", "overall", quality.overall.checked,
                                quality.overall.failing, _score(quality.overall), "", "", ""]])
    header = ["rule", "code", "records checked", "to fix", "score"]
    if wanted == "teams":
        return csv_response(f"data-quality-teams-{stem}.csv", ["team", *header],
                            [row for pk, tallies in sorted(
                                quality.by_team.items(), key=lambda item: (
                                    item[0] is None, names.get(item[0], "")))
                             for row in _csv_rows(names.get(pk, NO_TEAM), tallies,
                                                  EPISODE_RULES)])
    if wanted == "by_month":
        return csv_response(f"data-quality-by-month-{stem}.csv", ["month", *header],
                            [row for month, tallies in quality.by_month.items()
                             for row in _csv_rows(month, tallies, RULES)])

    fix = None
    if rule is not None:
        allowed = may_open(request.user, rule)
        failing = quality.results[rule.code].failing
        if wanted == "fix_list":
            if not allowed:
                raise PermissionDenied
            rows = quality_fix_rows(user=request.user, quality=quality, rule=rule,
                                    ids=failing, now=current)
            _log(request, rows)
            return csv_response(f"data-quality-{rule.code}-{stem}.csv",
                                ["rule", "record", "what is wrong", "team", "link"],
                                [[rule.label, row.record, row.detail, row.team,
                                  request.build_absolute_uri(reverse(row.link_name,
                                                                     args=[row.link_id]))]
                                 for row in rows])
        page = Paginator(failing, FIX_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = (quality_fix_rows(user=request.user, quality=quality, rule=rule,
                                 ids=list(page.object_list), now=current) if allowed else [])
        _log(request, rows)
        fix = {"rule": rule, "allowed": allowed, "page": page, "total": len(failing),
               "rows": [(row, reverse(row.link_name, args=[row.link_id])) for row in rows]}

    query = request.GET.copy()
    for name in ("download", "page", "rule"):
        query.pop(name, None)
    return render(request, TEMPLATE, {
        "form": form, "period": period, "query": query.urlencode(), "fix": fix,
        "team_chosen": names.get(team_id) if team_id else None,
        "overall": quality.overall, "overall_score": as_percent(_score(quality.overall)),
        "rules": [(r, quality.totals[r.code], as_percent(_score(quality.totals[r.code])),
                   may_open(request.user, r)) for r in RULES],
        "episode_rules": EPISODE_RULES, "all_rules": RULES,
        "team_rows": [(name, [(t, as_percent(_score(t))) for t in tallies], total,
                       as_percent(_score(total))) for name, tallies, total in team_rows],
        "month_rows": [(month, total, as_percent(_score(total)),
                        [as_percent(_score(t)) for t in tallies])
                       for month, total, tallies in month_rows],
        "trend_chart": trend_chart(month_rows),
    })


def _log(request, rows) -> None:
    """Every child the fix list shows or exports, in the access log (ADR 19)."""
    for kind in ("episode", "child"):
        shown = [(row.object_id, row.child_id) for row in rows if row.object_type == kind]
        if shown:
            log_shown(request, shown, object_type=kind)

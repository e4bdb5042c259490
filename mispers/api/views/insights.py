"""GET /api/v1/insights/figures: the force picture's figures (issue 12), the same numbers as the
page and its CSV files (docs/insight-definitions.md). Aggregates only: no child, no access-log
row."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from mispers.accounts.models import Area, Team
from mispers.core.errors import DomainError
from mispers.insights import engine, exploitation, suppression
from mispers.insights.forms import PeriodForm
from mispers.insights.measures import Filters, overdue_now
from mispers.insights.period import last_full_months, period_check
from mispers.insights.permissions import sees_suppressed
from mispers.insights.presentation import breakdowns, headline, headline_suppressed

from ..permissions import CanSeeAggregates
from .base import ERRORS_LIST, ApiView, error_response


def _day(request, name: str) -> dt.date | None:
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: ["Enter a date as YYYY-MM-DD"]}) from None


def asked_period(request, today: dt.date):
    """The period of `first` and `last` (the last 12 whole months when neither is given), or a
    400 naming the field: the one reading of a period for every insight endpoint."""
    first, last = _day(request, "first"), _day(request, "last")
    try:
        return (last_full_months(today=today) if first is None and last is None
                else period_check(first=first, last=last, today=today))
    except DomainError as error:
        raise ValidationError({error.field or "first": [error.message]}) from None


FILTERS = ("team", "area", "age_band", "sex", "ethnicity", "looked_after", "missing_from",
           "grade")


def asked_filters(request) -> Filters:
    """The force picture's filters from the query (the page's form, so the same choices), or a
    400 naming each field whose value does not exist (another force's team is one)."""
    force_id = request.user.force_id
    form = PeriodForm({name: request.query_params.get(name, "") for name in FILTERS},
                      teams=Team.objects.filter(force_id=force_id),
                      areas=Area.objects.filter(force_id=force_id))
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    return form.filters()


def _codes(choices) -> list[str]:
    flat = []
    for code, label in choices:
        flat += _codes(label) if isinstance(label, list | tuple) else [code] if code else []
    return flat


def _filter_parameters() -> list[OpenApiParameter]:
    fields = PeriodForm().fields
    described = {"team": "A team's id (your force's)", "area": "An area's id (your force's)",
                 "ethnicity": "Self-defined: a census category, or a group's code for all its "
                              "categories: " + ", ".join(_codes(fields["ethnicity"].choices)),
                 "grade": "Initial grade (the first assessment's effective grade): "
                          + ", ".join(_codes(fields["grade"].choices))}
    return [OpenApiParameter(name, str, description=described.get(name) or "One of: "
                             + ", ".join(_codes(fields[name].choices))) for name in FILTERS]


class PeriodSerializer(serializers.Serializer):
    first = serializers.DateField()
    last = serializers.DateField()


class InsightFiguresSerializer(serializers.Serializer):
    periods = PeriodSerializer(many=True, help_text="The period, the period before and the "
                                                    "same period a year earlier")
    figures = serializers.DictField(
        help_text="Each headline figure's code: its three values, in the periods' order (a "
                  "share is a rate from 0 to 1, or null when there is nothing to divide by)")
    breakdowns = serializers.DictField(help_text="Each breakdown table of the period: counts "
                                                 "by code")
    exploitation = serializers.DictField(
        help_text="Incidents and children by exploitation marker subtype active at the report "
                  "(`exploitation_markers`) and by indicator disclosed at interview "
                  "(`exploitation_disclosed`), each code with `incidents` and `children`")
    overdue_now = serializers.JSONField(help_text="Pending deadlines past due now")
    suppressed = serializers.BooleanField(
        help_text='True for the commissioner\'s office: counts from 1 to 4, and what would '
                  'reveal them, read "fewer than 5" (ADR 41)')


@extend_schema(tags=["insights"])
class InsightFigures(ApiView):
    permission_classes = [CanSeeAggregates]

    @extend_schema(
        summary="The force's figures for a period, the period before and a year earlier",
        description="Defined in docs/insight-definitions.md. Without `first` and `last`: the "
                    "last 12 whole calendar months. The commissioner's office gets the same "
                    "answer with small numbers suppressed.",
        parameters=[OpenApiParameter("first", str, description="First day, YYYY-MM-DD"),
                    OpenApiParameter("last", str, description="Last day, YYYY-MM-DD"),
                    *_filter_parameters()],
        responses={200: InsightFiguresSerializer, **ERRORS_LIST,
                   403: error_response("Signed in without an analysis or commissioner's "
                                       "office role in a force")},
    )
    def get(self, request):
        current = self.now()
        today = timezone.localdate(current)
        period = asked_period(request, today)
        filters = asked_filters(request)
        periods = [period, period.previous(), period.year_before()]
        force_id = request.user.force_id
        stamp = engine.data_stamp(force_id=force_id, now=current)
        figures = engine.figures(force_id=force_id, periods=periods, now=current,
                                 filters=filters, stamp=stamp)
        suppress = sees_suppressed(request.user)
        heads = [dict((c, v) for c, _l, v in (headline_suppressed(f) if suppress
                                                else headline(f))) for f in figures]
        tables = {}
        for code, _title, rows in breakdowns(figures[0]):
            counts = [count for _key, _label, count in rows]
            tables[code] = dict(zip([key for key, _l, _c in rows],
                                    suppression.counts(counts) if suppress else counts,
                                    strict=True))
        exploited = exploitation.tables(
            engine.exploitation(force_id=force_id, period=period, now=current,
                                filters=filters, stamp=stamp),
            suppress=suppress)
        overdue = overdue_now(force_id=force_id, now=current)
        return Response({
            "periods": [{"first": p.first, "last": p.last} for p in periods],
            "figures": {code: [head[code] for head in heads] for code in heads[0]},
            "breakdowns": tables,
            "exploitation": {code: {key: {"incidents": n, "children": c}
                                    for key, _label, n, c in rows}
                             for code, _title, rows in exploited},
            "overdue_now": suppression.count(overdue) if suppress else overdue,
            "suppressed": suppress,
        })

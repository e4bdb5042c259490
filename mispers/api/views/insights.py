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
from mispers.insights import engine
from mispers.insights.forms import PeriodForm
from mispers.insights.measures import Filters, overdue_now
from mispers.insights.period import last_full_months, period_check
from mispers.insights.presentation import breakdowns, headline

from ..permissions import CanAnalyse
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
    overdue_now = serializers.IntegerField(help_text="Pending deadlines past due now")


@extend_schema(tags=["insights"])
class InsightFigures(ApiView):
    permission_classes = [CanAnalyse]

    @extend_schema(
        summary="The force's figures for a period, the period before and a year earlier",
        description="Defined in docs/insight-definitions.md. Without `first` and `last`: the "
                    "last 12 whole calendar months.",
        parameters=[OpenApiParameter("first", str, description="First day, YYYY-MM-DD"),
                    OpenApiParameter("last", str, description="Last day, YYYY-MM-DD"),
                    *_filter_parameters()],
        responses={200: InsightFiguresSerializer, **ERRORS_LIST,
                   403: error_response("Signed in without an analysis role in a force")},
    )
    def get(self, request):
        current = self.now()
        today = timezone.localdate(current)
        period = asked_period(request, today)
        filters = asked_filters(request)
        periods = [period, period.previous(), period.year_before()]
        figures = engine.figures(force_id=request.user.force_id, periods=periods, now=current,
                                 filters=filters)
        return Response({
            "periods": [{"first": p.first, "last": p.last} for p in periods],
            "figures": {code: [dict((c, v) for c, _l, v in headline(f))[code] for f in figures]
                        for code, _label, _value in headline(figures[0])},
            "breakdowns": {code: {key: count for key, _label, count in rows}
                           for code, _title, rows in breakdowns(figures[0])},
            "overdue_now": overdue_now(force_id=request.user.force_id, now=current),
        })

"""GET /api/v1/insights/consistency and /outcomes: grading consistency and outcomes by grade
(issue 12, ADR 40), the same numbers as the pages and their CSV. Officers are named (it is the
force's own audit of its grading); no child and no episode is."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from mispers.insights import suppression
from mispers.insights.consistency import MEASURES, UNITS, assessment_rows, consistency
from mispers.insights.outcomes import outcomes_by_grade
from mispers.insights.permissions import sees_suppressed

from ..permissions import CanAnalyse, CanSeeAggregates
from .base import ERRORS_LIST, ApiView, error_response
from .insights import PeriodSerializer, asked_period


class UnitRateSerializer(serializers.Serializer):
    id = serializers.CharField(source="unit_id")
    name = serializers.CharField()
    n = serializers.IntegerField(help_text="Assessments (downgrades for `declined`)")
    events = serializers.IntegerField()
    rate = serializers.FloatField()
    interval = serializers.ListField(child=serializers.FloatField(),
                                     help_text="95% Wilson interval of the rate")
    inner_limits = serializers.ListField(child=serializers.FloatField(), source="inner",
                                         help_text="95% funnel limits at this n")
    outer_limits = serializers.ListField(child=serializers.FloatField(), source="outer",
                                         help_text="99.8% funnel limits at this n")
    outlier = serializers.CharField(help_text="above, below, or empty")


class ConsistencySerializer(serializers.Serializer):
    period = PeriodSerializer()
    measure = serializers.CharField()
    unit = serializers.CharField()
    target = serializers.FloatField(allow_null=True, help_text="The force's rate")
    events = serializers.IntegerField()
    n = serializers.IntegerField()
    units = UnitRateSerializer(many=True)


@extend_schema(tags=["insights"])
class GradingConsistency(ApiView):
    permission_classes = [CanAnalyse]

    @extend_schema(
        summary="Grading consistency of officers or teams, with funnel limits",
        description="Defined in docs/insight-definitions.md (Grading consistency).",
        parameters=[OpenApiParameter("first", str, description="First day, YYYY-MM-DD"),
                    OpenApiParameter("last", str, description="Last day, YYYY-MM-DD"),
                    OpenApiParameter("measure", str, enum=list(MEASURES)),
                    OpenApiParameter("unit", str, enum=list(UNITS))],
        responses={200: ConsistencySerializer, **ERRORS_LIST,
                   403: error_response("Signed in without an analysis role in a force")},
    )
    def get(self, request):
        today = timezone.localdate(self.now())
        measure = request.query_params.get("measure", "below")
        unit = request.query_params.get("unit", "officer")
        if measure not in MEASURES:
            raise ValidationError({"measure": [f"Choose one of {', '.join(MEASURES)}"]})
        if unit not in UNITS:
            raise ValidationError({"unit": ["Choose officer or team"]})
        period = asked_period(request, today)
        result = consistency(assessment_rows(force_id=request.user.force_id, period=period),
                             measure=measure, unit=unit)
        return Response(ConsistencySerializer({
            "period": {"first": period.first, "last": period.last}, "measure": measure,
            "unit": unit, "target": result.target, "events": result.events, "n": result.n,
            "units": result.units}).data)


SUPPRESSED_HELP = 'or "fewer than 5" for the commissioner\'s office (ADR 41)'


class GradeOutcomeSerializer(serializers.Serializer):
    grade = serializers.CharField()
    found = serializers.JSONField(help_text=f"Children found: a count, {SUPPRESSED_HELP}")
    harmed = serializers.JSONField(help_text=f"Of them harmed: a count, {SUPPRESSED_HELP}")
    rate = serializers.JSONField(help_text=f"Harmed of found, 0 to 1 (null when none was "
                                           f"found), {SUPPRESSED_HELP}")
    interval = serializers.ListField(child=serializers.FloatField(), allow_null=True)


class OutcomesSerializer(serializers.Serializer):
    policy_version = serializers.CharField(help_text='A version, or "all"')
    by_grade = GradeOutcomeSerializer(many=True)
    harmed_not_high = serializers.JSONField(help_text=f"Share of the harmed not graded high, "
                                                      f"{SUPPRESSED_HELP}")
    high_no_harm = serializers.JSONField(help_text=f"Share of high grades with no harm, "
                                                   f"{SUPPRESSED_HELP}")


class OutcomesAnswerSerializer(serializers.Serializer):
    period = PeriodSerializer()
    tables = OutcomesSerializer(many=True)
    suppressed = serializers.BooleanField(help_text="True when small numbers are suppressed")


def _suppressed(table: dict) -> dict:
    """One policy version's outcomes as the commissioner's office sees them, by the page's
    rules (insights.outcomes_views): a grade's row only when its counts could be shown, and
    each summary share only when its parts could."""
    rows, harmed, high = [], 0, None
    for row in table["by_grade"]:
        harmed += row["harmed"]
        if row["grade"] == "high":
            high = dict(row)
        if suppression.share(row["harmed"], row["found"], 0) == suppression.FEWER:
            row = {**row, "found": suppression.count(row["found"]),
                   "harmed": suppression.count(row["harmed"]), "rate": suppression.FEWER,
                   "interval": None}
        rows.append(row)
    return {**table, "by_grade": rows,
            "harmed_not_high": suppression.share(harmed - high["harmed"], harmed,
                                                 table["harmed_not_high"]),
            "high_no_harm": suppression.share(high["found"] - high["harmed"], high["found"],
                                              table["high_no_harm"])}


@extend_schema(tags=["insights"])
class GradeOutcomes(ApiView):
    permission_classes = [CanSeeAggregates]

    @extend_schema(
        summary="Harm by initial grade, per policy version",
        description="Defined in docs/insight-definitions.md (Outcomes by grade).",
        parameters=[OpenApiParameter("first", str, description="First day, YYYY-MM-DD"),
                    OpenApiParameter("last", str, description="Last day, YYYY-MM-DD")],
        responses={200: OutcomesAnswerSerializer, **ERRORS_LIST,
                   403: error_response("Signed in without an analysis or commissioner's "
                                       "office role in a force")},
    )
    def get(self, request):
        period = asked_period(request, timezone.localdate(self.now()))
        tables = outcomes_by_grade(force_id=request.user.force_id, period=period)
        suppress = sees_suppressed(request.user)
        data = OutcomesAnswerSerializer({
            "period": {"first": period.first, "last": period.last}, "tables": tables,
            "suppressed": suppress}).data
        if suppress:
            data["tables"] = [_suppressed(table) for table in data["tables"]]
        return Response(data)

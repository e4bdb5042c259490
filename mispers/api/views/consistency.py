"""GET /api/v1/insights/consistency and /outcomes: grading consistency and outcomes by grade
(issue 12, ADR 40), the same numbers as the pages and their CSV. Officers are named (it is the
force's own audit of its grading); no child and no episode is."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from mispers.insights.consistency import MEASURES, UNITS, assessment_rows, consistency
from mispers.insights.outcomes import outcomes_by_grade

from ..permissions import CanAnalyse
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


class GradeOutcomeSerializer(serializers.Serializer):
    grade = serializers.CharField()
    found = serializers.IntegerField()
    harmed = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    interval = serializers.ListField(child=serializers.FloatField(), allow_null=True)


class OutcomesSerializer(serializers.Serializer):
    policy_version = serializers.CharField(help_text='A version, or "all"')
    by_grade = GradeOutcomeSerializer(many=True)
    harmed_not_high = serializers.FloatField(allow_null=True)
    high_no_harm = serializers.FloatField(allow_null=True)


class OutcomesAnswerSerializer(serializers.Serializer):
    period = PeriodSerializer()
    tables = OutcomesSerializer(many=True)


@extend_schema(tags=["insights"])
class GradeOutcomes(ApiView):
    permission_classes = [CanAnalyse]

    @extend_schema(
        summary="Harm by initial grade, per policy version",
        description="Defined in docs/insight-definitions.md (Outcomes by grade).",
        parameters=[OpenApiParameter("first", str, description="First day, YYYY-MM-DD"),
                    OpenApiParameter("last", str, description="Last day, YYYY-MM-DD")],
        responses={200: OutcomesAnswerSerializer, **ERRORS_LIST,
                   403: error_response("Signed in without an analysis role in a force")},
    )
    def get(self, request):
        period = asked_period(request, timezone.localdate(self.now()))
        tables = outcomes_by_grade(force_id=request.user.force_id, period=period)
        return Response(OutcomesAnswerSerializer({
            "period": {"first": period.first, "last": period.last}, "tables": tables}).data)

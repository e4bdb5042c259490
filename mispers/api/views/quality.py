"""GET /api/v1/insights/quality: the data quality page's numbers (issue 12, ADR 39), computed by
the same function as the page and its CSV files (docs/insight-definitions.md, "Data quality").
Counts only: the fix lists name children and stay on the page, for those who may open them."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from mispers.accounts.models import Team
from mispers.insights.quality import EPISODE_RULES, RULES, Tally, force_quality, overall

from ..permissions import CanAnalyse
from .base import ERRORS_LIST, ApiView, error_response
from .insights import PeriodSerializer, asked_period


def _tally(tally: Tally) -> dict:
    return {"checked": tally.checked, "to_fix": tally.failing,
            "score": round(tally.score, 4) if tally.score is not None else None}


class TallySerializer(serializers.Serializer):
    checked = serializers.IntegerField(help_text="Records the rule applies to")
    to_fix = serializers.IntegerField(help_text="Records among them that fail the rule")
    score = serializers.FloatField(allow_null=True, help_text="The share that pass (0 to 1), "
                                                              "null when none was checked")


class QualityRuleSerializer(TallySerializer):
    code = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.ChoiceField(choices=["episode", "child", "place"])
    checks = serializers.CharField(help_text="The records the rule applies to, in words")
    counts = serializers.CharField(help_text="What makes a record one to fix, in words")
    fixer = serializers.CharField(help_text="Who puts it right")


class QualityGroupSerializer(serializers.Serializer):
    overall = TallySerializer()
    rules = serializers.DictField(child=TallySerializer(), help_text="By rule code")


class QualityTeamSerializer(QualityGroupSerializer):
    team = serializers.IntegerField(allow_null=True, help_text="The team's id; null: episodes "
                                                               "with no team")
    name = serializers.CharField()


class QualityMonthSerializer(QualityGroupSerializer):
    month = serializers.CharField(help_text="YYYY-MM, by the time of report")


class InsightQualitySerializer(serializers.Serializer):
    period = PeriodSerializer()
    team = serializers.IntegerField(allow_null=True, help_text="The team asked for, or null")
    overall = TallySerializer(help_text="Every check of every rule together")
    rules = QualityRuleSerializer(many=True)
    teams = QualityTeamSerializer(many=True, help_text="The rules about episodes, by the "
                                                       "episode's team")
    by_month = QualityMonthSerializer(many=True)


@extend_schema(tags=["insights"])
class InsightQuality(ApiView):
    permission_classes = [CanAnalyse]

    @extend_schema(
        summary="The force's data quality for a period: each rule's score, by team and by month",
        description="Defined in docs/insight-definitions.md (\"Data quality\"). Without `first` "
                    "and `last`: the last 12 whole calendar months. Records are judged as "
                    "they stand now.",
        parameters=[OpenApiParameter("first", str, description="First day, YYYY-MM-DD"),
                    OpenApiParameter("last", str, description="Last day, YYYY-MM-DD"),
                    OpenApiParameter("team", int, description="Only this team's episodes, "
                                                              "their children and places")],
        responses={200: InsightQualitySerializer, **ERRORS_LIST,
                   403: error_response("Signed in without an analysis role in a force")},
    )
    def get(self, request):
        current = self.now()
        today = timezone.localdate(current)
        period = asked_period(request, today)
        names = dict(Team.objects.filter(force_id=request.user.force_id)
                     .values_list("pk", "name"))
        team = request.query_params.get("team", "").strip()
        if team and (not team.isdigit() or int(team) not in names):
            raise ValidationError({"team": ["Choose one of your force's teams"]})
        team_id = int(team) if team else None
        quality = force_quality(force_id=request.user.force_id, period=period, now=current,
                                team_id=team_id)
        return Response({
            "period": {"first": period.first, "last": period.last},
            "team": team_id,
            "overall": _tally(quality.overall),
            "rules": [{"code": r.code, "label": r.label, "unit": r.unit, "checks": r.checks,
                       "counts": r.counts, "fixer": r.fixer, **_tally(quality.totals[r.code])}
                      for r in RULES],
            "teams": [{"team": pk, "name": names.get(pk, "No team recorded"),
                       "overall": _tally(overall(tallies.values())),
                       "rules": {r.code: _tally(tallies[r.code]) for r in EPISODE_RULES}}
                      for pk, tallies in sorted(quality.by_team.items(), key=lambda item: (
                          item[0] is None, names.get(item[0], "")))],
            "by_month": [{"month": month, "overall": _tally(overall(tallies.values())),
                          "rules": {r.code: _tally(tallies[r.code]) for r in RULES}}
                         for month, tallies in quality.by_month.items()],
        })

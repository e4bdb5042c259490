"""Shapes of GET /api/v1/analysis/episodes/: a pseudonymised episode row (ADR 0018)."""

from __future__ import annotations

from rest_framework import serializers

from mispers.episodes.models import Episode, Grade, MissingFrom, ReportedVia
from mispers.people.models import Ethnicity, Marker, Sex
from mispers.returns.models import Condition, FoundBy


class AnalysisQuerySerializer(serializers.Serializer):
    reported_from = serializers.DateField(required=False,
                                          help_text="First day reported (included)")
    reported_to = serializers.DateField(required=False, help_text="Last day reported (included)")

    def validate(self, attrs):
        first, last = attrs.get("reported_from"), attrs.get("reported_to")
        if first and last and first > last:
            raise serializers.ValidationError({"reported_to": ["Must not be before "
                                                               "reported_from"]})
        return attrs


class AnalysisEpisodeSerializer(serializers.Serializer):
    """One episode for analysis: coded fields only. No name, date of birth, address, free text,
    or child id: `child` is a keyed pseudonym, the same for every episode of one child in this
    deployment, that only police records can turn back into a child."""

    reference = serializers.CharField(help_text="The episode's reference")
    force = serializers.CharField(help_text="Force code")
    child = serializers.CharField(help_text="Keyed pseudonym of the child (stable per child)")
    state = serializers.ChoiceField(choices=Episode.State.choices)
    grade = serializers.ChoiceField(choices=[("", "Not yet graded"), *Grade.choices])
    missing_from = serializers.ChoiceField(choices=MissingFrom.choices)
    reported_via = serializers.ChoiceField(choices=ReportedVia.choices)
    reported_at = serializers.DateTimeField(help_text="Cut to the hour")
    found_at = serializers.DateTimeField(allow_null=True, help_text="Cut to the hour")
    hours_missing = serializers.IntegerField(allow_null=True,
                                             help_text="Whole hours from last seen to found")
    found_by = serializers.ChoiceField(choices=[("", "Not found"), *FoundBy.choices])
    found_condition = serializers.ChoiceField(choices=[("", "Not found"), *Condition.choices])
    age_band = serializers.CharField(help_text="0-9, 10-11, 12-13, 14-15, 16-17, 18+ or unknown")
    sex = serializers.ChoiceField(choices=Sex.choices)
    ethnicity = serializers.ChoiceField(choices=Ethnicity.choices)
    looked_after = serializers.BooleanField()
    earlier_episodes = serializers.IntegerField(
        help_text="The child's episodes reported before this one")
    reason_codes = serializers.ListField(child=serializers.CharField(),
                                         help_text="Rule ids of the latest assessment")
    marker_kinds = serializers.ListField(child=serializers.ChoiceField(
        choices=Marker.Kind.choices), help_text="Markers active on the day of the report")

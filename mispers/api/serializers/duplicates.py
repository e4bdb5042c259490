"""Suggested duplicate pairs and merges of children's records: their shape in and out."""

from __future__ import annotations

from rest_framework import serializers

from mispers.matching.models import DuplicateSuggestion

from .children import ChildSummarySerializer
from .common import UserRefSerializer


class ExplanationItemSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="given_name, family_name, date_of_birth, sex or "
                                            "address")
    level = serializers.CharField(help_text="How the field compared, as a code: same, close, "
                                            "day_month_swapped, different, missing…")
    label = serializers.CharField(help_text="The same in words, with the two values")
    weight = serializers.FloatField(help_text="log2 of the Bayes factor: positive points to "
                                              "the same child, negative away from it")


class SuggestionChildSerializer(ChildSummarySerializer):
    episode_count = serializers.IntegerField()
    last_reported_at = serializers.DateTimeField(allow_null=True)


class DuplicateSuggestionSerializer(serializers.Serializer):
    """A pair of the force's children that may be the same child."""

    id = serializers.IntegerField()
    child_a = SuggestionChildSerializer()
    child_b = SuggestionChildSerializer()
    match_weight = serializers.FloatField()
    match_probability = serializers.FloatField()
    explanation = ExplanationItemSerializer(many=True)
    status = serializers.ChoiceField(choices=DuplicateSuggestion.Status.choices)
    found_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decided_by = UserRefSerializer(allow_null=True)
    reason = serializers.CharField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True, help_text="Why: kept with the record. Required (a blank one is "
                                    "refused with the field named).")


class MergeInputSerializer(serializers.Serializer):
    """Retire `merged` into `survivor`. Both are ids of live children of your force."""

    survivor = serializers.UUIDField(help_text="The record to keep")
    merged = serializers.UUIDField(help_text="The record to retire: its episodes, markers, "
                                             "aliases and the rest move to the survivor")
    reason = serializers.CharField(allow_blank=True, help_text="Why they are the same child")
    suggestion = serializers.IntegerField(required=False, allow_null=True, default=None,
                                          help_text="The suggested pair this decides, if any")


class ChildRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    full_name = serializers.CharField()


class ChildMergeSerializer(serializers.Serializer):
    """A merge: which record was retired into which, who did it and why, and whether it was
    undone. `moved` lists, per model and field, the ids of the rows moved to the survivor."""

    id = serializers.IntegerField()
    survivor = ChildRefSerializer()
    merged = ChildRefSerializer()
    suggestion = serializers.IntegerField(source="suggestion_id", allow_null=True)
    reason = serializers.CharField()
    moved = serializers.DictField(child=serializers.DictField(
        child=serializers.ListField(child=serializers.CharField())))
    merged_at = serializers.DateTimeField()
    merged_by = UserRefSerializer()
    undone_at = serializers.DateTimeField(allow_null=True)
    undone_by = UserRefSerializer(allow_null=True)
    undo_reason = serializers.CharField()

"""Repeat missing: a child's pattern, the force's repeat children and concentration, strategy
meetings and their actions, trigger plans. Shapes in and out."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mispers.episodes.models import MissingFrom
from mispers.repeats.models import StrategyMeetingFlag, TriggerPlanAction

from .common import CodeChoiceField, UserRefSerializer, seconds


class CountedPlaceSerializer(serializers.Serializer):
    place = serializers.CharField()
    episodes = serializers.IntegerField()


class CountedMissingFromSerializer(serializers.Serializer):
    missing_from = serializers.ChoiceField(choices=MissingFrom.choices)
    episodes = serializers.IntegerField()


class FlagSerializer(serializers.Serializer):
    """A strategy-meeting flag: the child met the force's repeat threshold."""

    id = serializers.UUIDField()
    child_id = serializers.UUIDField()
    episode_id = serializers.UUIDField(help_text="The report that met the threshold")
    episode_reference = serializers.CharField(source="episode.reference")
    raised_at = serializers.DateTimeField()
    episode_count = serializers.IntegerField(help_text="Episodes in the window, this one too")
    threshold_episodes = serializers.IntegerField()
    window_days = serializers.IntegerField()
    status = serializers.ChoiceField(choices=StrategyMeetingFlag.Status.choices)
    meeting_id = serializers.UUIDField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    close_reason = serializers.CharField()


class PatternSerializer(serializers.Serializer):
    """The child's missing pattern at the time of the request. Withdrawn reports (made in error)
    are not counted; the risk policy's "earlier episodes in 90 days" counts the same way."""

    child_id = serializers.SerializerMethodField()
    at = serializers.DateTimeField(source="now")
    episodes_30_days = serializers.IntegerField(source="last_30")
    episodes_90_days = serializers.IntegerField(source="last_90")
    episodes_365_days = serializers.IntegerField(source="last_365")
    episodes_total = serializers.IntegerField(source="total")
    first_reported_at = serializers.DateTimeField(allow_null=True)
    last_reported_at = serializers.DateTimeField(allow_null=True)
    last_found_at = serializers.DateTimeField(allow_null=True)
    seconds_since_last_return = serializers.SerializerMethodField()
    missing_now = serializers.BooleanField()
    missing_from = serializers.SerializerMethodField()
    last_seen_places = serializers.SerializerMethodField()
    found_places = serializers.SerializerMethodField()
    strategy_meeting_flag = serializers.SerializerMethodField(
        help_text="The open strategy-meeting flag, or null")

    @extend_schema_field(serializers.UUIDField())
    def get_child_id(self, pattern) -> str:
        return str(self.context["child"].pk)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_seconds_since_last_return(self, pattern) -> int | None:
        return seconds(pattern.since_last_return)

    @extend_schema_field(CountedMissingFromSerializer(many=True))
    def get_missing_from(self, pattern) -> list[dict]:
        return [{"missing_from": code, "episodes": n} for code, n in pattern.missing_from]

    @extend_schema_field(CountedPlaceSerializer(many=True))
    def get_last_seen_places(self, pattern) -> list[dict]:
        return [{"place": place, "episodes": n} for place, n in pattern.last_seen_places]

    @extend_schema_field(CountedPlaceSerializer(many=True))
    def get_found_places(self, pattern) -> list[dict]:
        return [{"place": place, "episodes": n} for place, n in pattern.found_places]

    @extend_schema_field(FlagSerializer(allow_null=True))
    def get_strategy_meeting_flag(self, pattern) -> dict | None:
        flag = self.context.get("flag")
        return FlagSerializer(flag).data if flag is not None else None


class RepeatChildSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField(source="full_name")
    episodes_30_days = serializers.IntegerField(source="episodes_30")
    episodes_90_days = serializers.IntegerField(source="episodes_90")
    episodes_365_days = serializers.IntegerField(source="episodes_365")
    episodes_total = serializers.IntegerField()
    last_reported_at = serializers.DateTimeField()
    strategy_meeting_needed = serializers.BooleanField(source="flag_open")
    trigger_plan_review_on = serializers.DateField(source="plan_review_on", allow_null=True)
    trigger_plan_stale = serializers.SerializerMethodField(
        help_text="The active trigger plan is past its review date (null: no plan)")

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_trigger_plan_stale(self, child) -> bool | None:
        if child.plan_review_on is None:
            return None
        return child.plan_review_on < timezone.localdate(self.context["now"])


class ConcentrationSerializer(serializers.Serializer):
    """The share of the force's episodes in the period that come from its top 5% of children
    (5% of the children reported missing in the period, rounded up, at least one)."""

    days = serializers.IntegerField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    children = serializers.IntegerField(help_text="Children reported missing in the period")
    episodes = serializers.IntegerField()
    top_children = serializers.IntegerField()
    top_episodes = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True, help_text="0 to 1; null with no episodes")


class RepeatChildrenPageSerializer(serializers.Serializer):
    concentration = ConcentrationSerializer()
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = RepeatChildSerializer(many=True)


class MeetingActionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    description = serializers.CharField()
    owner_name = serializers.CharField()
    owner_agency = serializers.CharField()
    owner_user = UserRefSerializer(allow_null=True)
    due_on = serializers.DateField()
    done_at = serializers.DateTimeField(allow_null=True)
    done_by = UserRefSerializer(allow_null=True)
    result = serializers.CharField()


class MeetingSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    child_id = serializers.UUIDField()
    held_on = serializers.DateField()
    agencies = serializers.ListField(child=serializers.CharField())
    decisions = serializers.CharField()
    trigger_plan_agreed = serializers.BooleanField()
    recorded_at = serializers.DateTimeField(source="created_at")
    recorded_by = UserRefSerializer(source="created_by", allow_null=True)
    actions = MeetingActionSerializer(many=True, source="actions.all")


class MeetingActionInputSerializer(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True, default="")
    owner_name = serializers.CharField(required=False, allow_blank=True, default="",
                                       max_length=200)
    owner_agency = serializers.CharField(required=False, allow_blank=True, default="",
                                         max_length=200)
    owner_user = serializers.UUIDField(required=False, allow_null=True, default=None,
                                       help_text="A user of your force who owns the action "
                                                 "(instead of owner_name)")
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class MeetingInputSerializer(serializers.Serializer):
    held_on = serializers.DateField(help_text="Not in the future: record a meeting once held")
    agencies = serializers.ListField(child=serializers.CharField(max_length=120),
                                     help_text="At least two agencies present")
    decisions = serializers.CharField(allow_blank=True)
    trigger_plan_agreed = serializers.BooleanField(
        required=False, default=False,
        help_text="The meeting agreed a trigger plan: an action to write it is set")
    actions = MeetingActionInputSerializer(many=True, required=False, default=list,
                                           help_text="Each with an owner and a due date")


class ResultInputSerializer(serializers.Serializer):
    result = serializers.CharField(allow_blank=True)


class PlanActionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TriggerPlanAction.Kind.choices)
    description = serializers.CharField()
    detail = serializers.CharField()
    due_within_minutes = serializers.IntegerField()
    title = serializers.CharField(help_text="The title of the action created at a report")


class TriggerPlanSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    child_id = serializers.UUIDField()
    review_on = serializers.DateField()
    stale = serializers.SerializerMethodField(
        help_text="Past its review date: it still applies at the next report")
    created_at = serializers.DateTimeField()
    created_by = UserRefSerializer(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    reviewed_by = UserRefSerializer(allow_null=True)
    actions = PlanActionSerializer(many=True, source="actions.all")

    @extend_schema_field(serializers.BooleanField())
    def get_stale(self, plan) -> bool:
        return plan.is_stale(timezone.localdate(self.context["now"]))


class ChildTriggerPlanSerializer(serializers.Serializer):
    child_id = serializers.UUIDField()
    plan = TriggerPlanSerializer(allow_null=True, help_text="The active plan, or null")


class PlanActionInputSerializer(serializers.Serializer):
    kind = CodeChoiceField(TriggerPlanAction.Kind.choices, noun="kind of action")
    description = serializers.CharField(allow_blank=True, max_length=200)
    detail = serializers.CharField(required=False, allow_blank=True, default="",
                                   max_length=300)
    due_within_minutes = serializers.IntegerField(required=False, default=60)


class TriggerPlanInputSerializer(serializers.Serializer):
    review_on = serializers.DateField(help_text="After today, within 12 months")
    actions = PlanActionInputSerializer(many=True, help_text="At least one")


class ReviewOnInputSerializer(serializers.Serializer):
    review_on = serializers.DateField(help_text="The next review date: after today")

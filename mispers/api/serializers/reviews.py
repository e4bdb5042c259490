"""Clocks, reviews, handovers, actions, the enquiry log and notifications: shapes in and out."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mispers.episodes.models import Action, EnquiryEntry
from mispers.reviews.models import Deadline, Handover, Review

from .common import CodeChoiceField, EpisodeRefSerializer, UserRefSerializer, overdue_seconds

VERSION_HELP = "The episode version you loaded; a newer one answers 409 Conflict"


def _now(serializer: serializers.Serializer):
    return serializer.context.get("now")


class ActionRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()


class DeadlineSerializer(serializers.Serializer):
    """A pending deadline (from a queue item: the deadline and how overdue it is)."""

    id = serializers.IntegerField(source="deadline.id")
    kind = serializers.ChoiceField(choices=Deadline.Kind.choices, source="deadline.kind")
    kind_label = serializers.CharField(source="deadline.get_kind_display")
    due_at = serializers.DateTimeField(source="deadline.due_at")
    rank = serializers.CharField(source="deadline.rank",
                                 help_text="The rank responsible; an overdue deadline "
                                           "escalates to the rank above")
    overdue_seconds = serializers.SerializerMethodField(
        help_text="How long past due, in seconds; null when not overdue")
    action = serializers.SerializerMethodField(help_text="The action, for an action deadline")
    handover = serializers.UUIDField(source="deadline.handover_id", allow_null=True,
                                     help_text="The handover, for a handover deadline")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_overdue_seconds(self, item) -> int | None:
        return int(item.overdue_by.total_seconds()) if item.overdue_by is not None else None

    @extend_schema_field(ActionRefSerializer(allow_null=True))
    def get_action(self, item) -> dict | None:
        action = item.deadline.action if item.deadline.action_id else None
        return ActionRefSerializer(action).data if action is not None else None


class ClockSerializer(serializers.Serializer):
    """The episode's clock: when the next supervisory review is due, and every pending deadline,
    overdue first (most overdue at the top)."""

    next_review_due_at = serializers.SerializerMethodField()
    next_review_rank = serializers.SerializerMethodField(
        help_text="The lowest rank that may record the next review")
    review_overdue_seconds = serializers.SerializerMethodField(
        help_text="How long the review is overdue, in seconds; null when not overdue")
    deadlines = DeadlineSerializer(many=True)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_next_review_due_at(self, clock: dict):
        review = clock["next_review"]
        return serializers.DateTimeField().to_representation(review.due_at) if review else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_next_review_rank(self, clock: dict) -> str | None:
        return clock["next_review"].rank if clock["next_review"] else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_review_overdue_seconds(self, clock: dict) -> int | None:
        late = clock["review_overdue_by"]
        return int(late.total_seconds()) if late is not None else None


# --- reviews ---------------------------------------------------------------------------------

class ReviewSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    episode = serializers.UUIDField(source="episode_id")
    reviewed_at = serializers.DateTimeField()
    reviewer = UserRefSerializer()
    reviewer_rank = serializers.CharField(help_text="The reviewer's rank at the time")
    grade = serializers.CharField(help_text="The grade the review was made at")
    outcome = serializers.ChoiceField(choices=Review.Outcome.choices)
    assessment = serializers.UUIDField(source="assessment_id", allow_null=True,
                                       help_text="The re-grade's assessment, if re-graded")
    notes = serializers.CharField()
    next_actions = serializers.CharField()
    next_review_due_at = serializers.DateTimeField(allow_null=True)


# --- handovers -------------------------------------------------------------------------------

class HandoverInputSerializer(serializers.Serializer):
    to_user = serializers.UUIDField(help_text="The id of a colleague in your force")
    note = serializers.CharField(allow_blank=True, default="")


class HandoverSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    episode = serializers.UUIDField(source="episode_id")
    from_user = UserRefSerializer(allow_null=True)
    to_user = UserRefSerializer()
    note = serializers.CharField()
    status = serializers.ChoiceField(choices=Handover.Status.choices)
    requested_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()


# --- actions ---------------------------------------------------------------------------------

class ActionInputSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True, max_length=300)
    due_at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                       help_text="Default: the force's action interval from now")
    assigned_to = serializers.UUIDField(required=False, allow_null=True, default=None,
                                        help_text="The id of a colleague in your force")


class AssignInputSerializer(serializers.Serializer):
    assigned_to = serializers.UUIDField(help_text="The id of a colleague in your force")


class CompleteInputSerializer(serializers.Serializer):
    result = serializers.CharField(allow_blank=True, help_text="What was done and found")


class CancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True,
                                   help_text="Why the action is no longer needed (required)")


class ActionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    episode = serializers.UUIDField(source="episode_id")
    code = serializers.CharField()
    title = serializers.CharField()
    source = serializers.CharField(help_text="standard, review, manual or system")
    due_at = serializers.DateTimeField()
    overdue_seconds = serializers.SerializerMethodField(
        help_text="How long past due, in seconds; null when done or not overdue")
    assigned_to = UserRefSerializer(allow_null=True)
    done_at = serializers.DateTimeField(allow_null=True)
    done_by = UserRefSerializer(allow_null=True)
    result = serializers.CharField()
    cancelled = serializers.BooleanField(
        help_text="Cancelled by a supervisor (the reason is the result), not done")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_overdue_seconds(self, action: Action) -> int | None:
        return None if action.is_done else overdue_seconds(action.due_at, _now(self))


# --- enquiry log -----------------------------------------------------------------------------

class EnquiryInputSerializer(serializers.Serializer):
    kind = CodeChoiceField(EnquiryEntry.Kind.choices, noun="kind of entry",
                           default=EnquiryEntry.Kind.UPDATE)
    occurred_at = serializers.DateTimeField(help_text="When it happened (not in the future)")
    location = serializers.CharField(allow_blank=True, default="", max_length=300,
                                     help_text="Required for a sighting")
    seen_by = serializers.CharField(allow_blank=True, default="", max_length=200)
    text = serializers.CharField(allow_blank=True)
    prompts_reassessment = serializers.BooleanField(
        default=False, help_text="New information that needs a re-assessment: sets a deadline")


class EnquirySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    episode = serializers.UUIDField(source="episode_id")
    kind = serializers.ChoiceField(choices=EnquiryEntry.Kind.choices)
    occurred_at = serializers.DateTimeField()
    location = serializers.CharField()
    seen_by = serializers.CharField()
    text = serializers.CharField()
    prompts_reassessment = serializers.BooleanField()
    recorded_at = serializers.DateTimeField()
    recorded_by = UserRefSerializer()


# --- notifications ---------------------------------------------------------------------------

class EscalatedDeadlineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Deadline.Kind.choices)
    due_at = serializers.DateTimeField()


class EscalationRefSerializer(serializers.Serializer):
    level = serializers.IntegerField(help_text="1 for the rank above the one responsible; "
                                               "each unacknowledged level climbs once more")
    rank = serializers.CharField(help_text="The rank it was escalated to")
    deadline = EscalatedDeadlineSerializer(help_text="The overdue deadline")
    acknowledged_at = serializers.DateTimeField(allow_null=True)


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    subject = serializers.CharField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    episode = EpisodeRefSerializer(allow_null=True)
    escalation = EscalationRefSerializer(allow_null=True)

"""The three work queues: mine, the supervisor's and the coordinator's. Overdue work first, each
item with how long it is overdue (`overdue_seconds`, null when not yet due)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .common import EpisodeRefSerializer, UserRefSerializer, seconds
from .fields import GradeField
from .reviews import DeadlineSerializer, NotificationSerializer


class QueueItemSerializer(DeadlineSerializer):
    """A pending deadline in a queue, with its episode and the episode's owner."""

    episode = EpisodeRefSerializer(source="deadline.episode")
    owner = UserRefSerializer(source="deadline.episode.owner", allow_null=True)
    handover_to = serializers.SerializerMethodField(
        help_text="For a handover: the person who has not yet accepted it")

    @extend_schema_field(UserRefSerializer(allow_null=True))
    def get_handover_to(self, item) -> dict | None:
        handover = item.deadline.handover if item.deadline.handover_id else None
        return UserRefSerializer(handover.to_user).data if handover is not None else None


class CoordinatorItemSerializer(QueueItemSerializer):
    """A prevention or return-home interview waiting to be done."""

    found_at = serializers.SerializerMethodField()
    return_home_interview = serializers.SerializerMethodField(
        help_text="The return-home interview's id (PATCH /return-home-interviews/{id}/)")

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_found_at(self, item):
        found = getattr(item.deadline.episode, "found", None)
        return serializers.DateTimeField().to_representation(found.found_at) if found else None

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_return_home_interview(self, item) -> str | None:
        interview = getattr(item.deadline.episode, "return_home_interview", None)
        return str(interview.pk) if interview is not None else None


class QueueActionSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="action.id")
    title = serializers.CharField(source="action.title")
    due_at = serializers.DateTimeField(source="action.due_at")
    overdue_seconds = serializers.SerializerMethodField(
        help_text="How long past due, in seconds; null when not overdue")
    episode = EpisodeRefSerializer(source="action.episode")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_overdue_seconds(self, item: dict) -> int | None:
        return seconds(item["overdue_by"])


class QueueHandoverSerializer(serializers.Serializer):
    """A case offered to me: not mine until I accept it."""

    id = serializers.UUIDField()
    episode = EpisodeRefSerializer()
    from_user = UserRefSerializer(allow_null=True)
    note = serializers.CharField()
    requested_at = serializers.DateTimeField()


class QueueEpisodeSerializer(EpisodeRefSerializer):
    reported_at = serializers.DateTimeField()


class RatificationSerializer(serializers.Serializer):
    """A grade below the recommendation, waiting for someone of this rank to ratify it."""

    id = serializers.UUIDField()
    episode = EpisodeRefSerializer()
    sequence = serializers.IntegerField()
    assessed_at = serializers.DateTimeField()
    assessed_by = UserRefSerializer()
    recommended_grade = GradeField()
    chosen_grade = GradeField()
    rationale = serializers.CharField()
    required_rank = serializers.CharField()


class MyQueueSerializer(serializers.Serializer):
    episodes = QueueEpisodeSerializer(many=True, help_text="Active episodes I own")
    actions = QueueActionSerializer(many=True,
                                    help_text="Actions assigned to me, most overdue first")
    handovers = QueueHandoverSerializer(many=True, help_text="Cases waiting for me to accept")
    notifications = NotificationSerializer(many=True,
                                           help_text="Unacknowledged, oldest first")


class SupervisorQueueSerializer(serializers.Serializer):
    reviews = QueueItemSerializer(many=True, help_text="Reviews, inspector reviews, re-grades "
                                                       "and re-assessments due, overdue first")
    handovers = QueueItemSerializer(many=True, help_text="Handovers not yet accepted")
    approvals = QueueItemSerializer(many=True, help_text="Prevention interview waivers and "
                                                         "proposed markers to decide")
    ratifications = RatificationSerializer(many=True)
    escalations = NotificationSerializer(many=True, help_text="Escalations to me, "
                                                              "unacknowledged")
    totals = serializers.DictField(child=serializers.IntegerField(),
                                   help_text="How many items each section has in all; each "
                                             "list holds at most the first 100, overdue first")


class CoordinatorQueueSerializer(serializers.Serializer):
    prevention_interviews = CoordinatorItemSerializer(many=True)
    return_home_interviews = CoordinatorItemSerializer(many=True)

"""Episodes: the missing report in, the episode (summary, grade, timeline) out."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mispers.episodes.models import Episode, MissingFrom
from mispers.episodes.services import ReportDetails

from .children import ChildInputSerializer, ChildSummarySerializer
from .common import UserRefSerializer
from .fields import GradeField, OptionalGradeField
from .returns import ReturnSerializer
from .reviews import (
    ActionSerializer,
    ClockSerializer,
    EnquirySerializer,
    HandoverSerializer,
    ReviewSerializer,
)


def grade_label(serializer: serializers.Serializer, grade: str) -> str:
    """The force's own word for a national grade (DOMAIN.md section 3)."""
    policy = serializer.context.get("policy")
    if not grade:
        return ""
    return policy.labels.get(grade, grade) if policy is not None else grade


class ReportedBySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, allow_blank=True)
    relationship = serializers.CharField(max_length=100, allow_blank=True, default="")
    contact = serializers.CharField(max_length=200, allow_blank=True, default="")


class EpisodeInputSerializer(serializers.Serializer):
    """A missing report: for an existing child (`child`) or a new one (`new_child`)."""

    child = serializers.UUIDField(required=False, allow_null=True, default=None,
                                  help_text="An existing child of your force")
    new_child = ChildInputSerializer(required=False, allow_null=True, default=None,
                                     help_text="Or the details of a child not yet recorded")
    confirmed_new_child = serializers.BooleanField(
        default=False,
        help_text="With `new_child`: true once you have checked that the child is not one of "
                  "the strong candidates of GET /api/v1/children/candidates. Without it, a "
                  "new child very like a known one is refused (400, field "
                  "`confirmed_new_child`).")
    reported_at = serializers.DateTimeField()
    reported_by = ReportedBySerializer()
    last_seen_at = serializers.DateTimeField()
    last_seen_where = serializers.CharField(max_length=300, allow_blank=True)
    missing_from = serializers.ChoiceField(choices=MissingFrom.choices)
    circumstances = serializers.CharField(allow_blank=True, default="")
    clothing = serializers.CharField(allow_blank=True, default="")
    possible_whereabouts = serializers.CharField(allow_blank=True, default="")
    missing_from_place = serializers.UUIDField(
        required=False, allow_null=True, default=None,
        help_text="A place of your force (GET /api/v1/places/) the child went missing from")
    last_seen_place = serializers.UUIDField(
        required=False, allow_null=True, default=None,
        help_text="A place of your force where the child was last seen")

    def report_details(self, places: dict | None = None) -> ReportDetails:
        data = self.validated_data
        return ReportDetails(
            reported_at=data["reported_at"],
            reported_by_name=data["reported_by"]["name"],
            reported_by_relationship=data["reported_by"].get("relationship", ""),
            reported_by_contact=data["reported_by"].get("contact", ""),
            last_seen_at=data["last_seen_at"],
            last_seen_where=data["last_seen_where"],
            missing_from=data["missing_from"],
            circumstances=data["circumstances"],
            clothing=data["clothing"],
            possible_whereabouts=data["possible_whereabouts"],
            **(places or {}),
        )


class EpisodeChildSerializer(ChildSummarySerializer):
    pass


class EpisodeListSerializer(serializers.Serializer):
    """A row of the episodes list."""

    id = serializers.UUIDField()
    reference = serializers.CharField()
    state = serializers.ChoiceField(choices=Episode.State.choices)
    child = EpisodeChildSerializer()
    reported_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField()
    last_seen_where = serializers.CharField()
    missing_from = serializers.ChoiceField(choices=MissingFrom.choices)
    missing_from_place = serializers.UUIDField(source="missing_from_place_id", allow_null=True,
                                               help_text="A place of the force (issue 11)")
    last_seen_place = serializers.UUIDField(source="last_seen_place_id", allow_null=True,
                                            help_text="A place of the force (issue 11)")
    age_at_report = serializers.SerializerMethodField()
    current_grade = OptionalGradeField(help_text="National grade; empty until assessed")
    current_grade_label = serializers.SerializerMethodField(
        help_text="The force's own word for the current grade")
    version = serializers.IntegerField(help_text="Send back as `version` to guard against "
                                                 "overwriting someone else's change")

    @extend_schema_field(OpenApiTypes.INT)
    def get_age_at_report(self, episode: Episode) -> int | None:
        return episode.child.age_on(episode.reported_at.date())

    @extend_schema_field(OpenApiTypes.STR)
    def get_current_grade_label(self, episode: Episode) -> str:
        return grade_label(self, episode.current_grade)


class ReasonSerializer(serializers.Serializer):
    rule = serializers.CharField()
    grade = GradeField()
    text = serializers.CharField()


class LatestAssessmentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    sequence = serializers.IntegerField()
    assessed_at = serializers.DateTimeField()
    recommended_grade = GradeField()
    chosen_grade = GradeField()
    effective_grade = GradeField()
    status = serializers.CharField()
    reasons = ReasonSerializer(many=True)
    policy = serializers.CharField(source="policy_name")
    policy_version = serializers.CharField()


class TimelineEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    code = serializers.CharField()
    summary = serializers.CharField()
    actor = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_actor(self, event) -> str:
        return event.actor.display_with_rank if event.actor_id else ""


class EpisodeDetailSerializer(EpisodeListSerializer):
    """One episode in full: the report, the grade and its reasons, who owns it, its clock,
    actions, enquiry log, reviews, handovers, the return, and the timeline.

    The view puts each part in the context, read by its selector in one query (the return in a
    fixed few), so the number of queries does not grow with the episode's history."""

    reported_by = serializers.SerializerMethodField()
    circumstances = serializers.CharField()
    clothing = serializers.CharField()
    possible_whereabouts = serializers.CharField()
    owner = UserRefSerializer(allow_null=True,
                              help_text="Who owns the case (a handover counts once accepted)")
    latest_assessment = serializers.SerializerMethodField()
    clock = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    enquiries = serializers.SerializerMethodField()
    reviews = serializers.SerializerMethodField()
    handovers = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    def get_fields(self):
        fields = super().get_fields()
        # `return` is a Python keyword, so it cannot be declared as a class attribute.
        fields["return"] = serializers.SerializerMethodField(method_name="get_return_block")
        return fields

    def _part(self, name: str, serializer_class, **kwargs):
        value = self.context.get(name)
        if value is None and not kwargs.get("many"):
            return None
        return serializer_class(value if value is not None else [], context=self.context,
                                **kwargs).data

    @extend_schema_field(ClockSerializer)
    def get_clock(self, episode: Episode) -> dict | None:
        return self._part("clock", ClockSerializer)

    @extend_schema_field(ActionSerializer(many=True))
    def get_actions(self, episode: Episode) -> list:
        return self._part("actions", ActionSerializer, many=True)

    @extend_schema_field(EnquirySerializer(many=True))
    def get_enquiries(self, episode: Episode) -> list:
        return self._part("enquiries", EnquirySerializer, many=True)

    @extend_schema_field(ReviewSerializer(many=True))
    def get_reviews(self, episode: Episode) -> list:
        return self._part("reviews", ReviewSerializer, many=True)

    @extend_schema_field(HandoverSerializer(many=True))
    def get_handovers(self, episode: Episode) -> list:
        return self._part("handovers", HandoverSerializer, many=True)

    @extend_schema_field(ReturnSerializer(allow_null=True))
    def get_return_block(self, episode: Episode) -> dict | None:
        returned = self.context.get("return")
        if not returned or returned.get("found") is None:
            return None
        return ReturnSerializer(returned, context=self.context).data

    @extend_schema_field(ReportedBySerializer)
    def get_reported_by(self, episode: Episode) -> dict:
        return {"name": episode.reported_by_name,
                "relationship": episode.reported_by_relationship,
                "contact": episode.reported_by_contact}

    @extend_schema_field(LatestAssessmentSerializer(allow_null=True))
    def get_latest_assessment(self, episode: Episode) -> dict | None:
        latest = self.context.get("latest_assessment")
        return LatestAssessmentSerializer(latest).data if latest is not None else None

    @extend_schema_field(TimelineEventSerializer(many=True))
    def get_timeline(self, episode: Episode) -> list:
        return TimelineEventSerializer(self.context.get("timeline", []), many=True).data

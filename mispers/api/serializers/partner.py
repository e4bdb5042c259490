"""The partner API's shapes: a partner organisation's children with their latest episode's
status, episodes as partners see them (status, found time, the return-home interview clock),
the return-home interview the provider records, and alerts. Nothing police-only: no grade,
rationale, intelligence, actions or timeline.

Every serializer here names the record it renders (`record`) and keeps only the fields declared
for that record in mispers.partners.disclosure (ADR 0015): a field added here, or inherited
from a police serializer, that is not declared never reaches a partner."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mispers.partners.disclosure import RELEASED

from .common import CodeChoiceField
from .returns import ReturnInterviewSerializer, ReturnInterviewUpdateSerializer

STATUSES = [("missing", "Missing"), ("found", "Found"), ("closed", "Closed")]


class Declared:
    """Keeps only the fields declared for `record` (or `records`) in the disclosure module."""

    record: str = ""
    records: tuple[str, ...] = ()

    def get_fields(self):
        allowed = set().union(*(RELEASED[name] for name in (self.records or (self.record,))))
        return {name: field for name, field in super().get_fields().items() if name in allowed}


class ReleasedFieldSerializer(Declared, serializers.Serializer):
    """A police-only field police released to your organisation, with its text as released."""

    record = "release"

    field = serializers.CharField(help_text="last_seen_where, clothing, possible_whereabouts "
                                            "or found_where")
    label = serializers.CharField()
    value = serializers.CharField(help_text="The text as police released it")
    at = serializers.DateTimeField(help_text="When police released it")
    basis = serializers.CharField(help_text="The basis for sharing")


STAGES = [("referred", "Referred, not yet offered"), ("offered", "Offered"),
          ("accepted", "Accepted"), ("declined", "Declined"), ("completed", "Completed")]


class PartnerInterviewClockSerializer(Declared, serializers.Serializer):
    """Where the return-home interview is (an InterviewClock)."""

    record = "interview"

    id = serializers.UUIDField(help_text="The interview: GET /api/v1/partner/return-interviews/"
                                         "{id}/ (the provider and the placing authority)")
    due_at = serializers.DateTimeField(help_text="72 hours after the return (statutory)")
    overdue = serializers.BooleanField(help_text="Past due and neither completed nor declined")
    stage = serializers.ChoiceField(choices=STAGES)
    offered_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    within_72_hours = serializers.BooleanField(allow_null=True, help_text="Null until completed")
    provider = serializers.CharField(source="provider_name",
                                     help_text="Who carries out the interview")
    shared_at = serializers.DateTimeField(allow_null=True,
                                          help_text="When the findings were shared with police")


class PartnerEpisodeSerializer(Declared, serializers.Serializer):
    """An episode as a partner sees it (an EpisodeStatus)."""

    record = "episode"

    id = serializers.UUIDField(source="episode_id")
    reference = serializers.CharField(help_text="The police reference: quote it to police")
    child = serializers.UUIDField(source="child_id")
    status = serializers.ChoiceField(choices=STATUSES)
    reported_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField()
    found_at = serializers.DateTimeField(allow_null=True)
    return_home_interview = PartnerInterviewClockSerializer(
        source="interview", allow_null=True,
        help_text="Null until police record the return and refer the interview")
    released = serializers.SerializerMethodField(
        help_text="Police-only fields police released to your organisation, with a reason "
                  "kept in the information-sharing log (ADR 0015)")

    @extend_schema_field(ReleasedFieldSerializer(many=True))
    def get_released(self, status) -> list[dict]:
        releases = self.context.get("releases", {}).get(status.episode_id, [])
        return ReleasedFieldSerializer(releases, many=True).data


class PartnerChildSerializer(Declared, serializers.Serializer):
    record = "child"

    id = serializers.UUIDField()
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    latest_episode = PartnerEpisodeSerializer(
        allow_null=True, help_text="The latest episode your organisation may see, or null")


class PartnerReturnInterviewSerializer(Declared, ReturnInterviewSerializer):
    """The return-home interview with its findings, for the provider and the placing
    authority."""

    records = ("interview", "interview_findings")

    provider = serializers.CharField(source="provider.name", allow_null=True, default=None,
                                     help_text="The organisation commissioned for it")


class PartnerReturnInterviewInputSerializer(ReturnInterviewUpdateSerializer):
    """What the provider records. Send only what changes: `offered_at`, `response` (accepted or
    declined), `completed_at` (only if accepted, not before it was offered), the findings and
    the child's words, `indicators`. Once completed, the findings are shared with police at
    once (there is no `share`)."""

    share = None  # removes the police field


class PartnerAlertSerializer(Declared, serializers.Serializer):
    record = "alert"

    id = serializers.IntegerField()
    kind = CodeChoiceField([("partner_missing", "Reported missing"),
                            ("partner_found", "Found"),
                            ("partner_rhi_commissioned", "Return-home interview referred")],
                           noun="kind")
    episode = serializers.UUIDField(source="episode_id", allow_null=True)
    subject = serializers.CharField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)

"""The return: found, prevention interview or its waiver, proposed markers, the return-home
interview, closing and withdrawing. Shapes in and out; the rules are the services'."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mispers.returns.models import (
    Condition,
    FoundBy,
    Harm,
    Indicator,
    MarkerProposal,
    ReturnHomeInterview,
)
from mispers.returns.services import RHI_FINDINGS

from .common import CodeChoiceField, UserRefSerializer, overdue_seconds, seconds
from .reviews import VERSION_HELP


def _version():
    return serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                    help_text=VERSION_HELP)


def _indicators(**kwargs):
    return serializers.ListField(
        child=CodeChoiceField(Indicator.choices, noun="indicator"), **kwargs,
        help_text="Exploitation indicators disclosed; each proposes an exploitation marker a "
                  "supervisor or the coordinator confirms")


# --- in --------------------------------------------------------------------------------------

class FoundInputSerializer(serializers.Serializer):
    found_at = serializers.DateTimeField(help_text="Not before last seen, not in the future")
    found_where = serializers.CharField(allow_blank=True, max_length=300)
    found_by = CodeChoiceField(FoundBy.choices, noun="found_by")
    condition = CodeChoiceField(Condition.choices, noun="condition")
    harms = serializers.ListField(child=CodeChoiceField(Harm.choices, noun="harm"),
                                  default=list,
                                  help_text="Required when the child was harmed or a victim")
    notes = serializers.CharField(allow_blank=True, default="")
    found_place = serializers.UUIDField(required=False, allow_null=True, default=None,
                                        help_text="A place of your force (GET /api/v1/places/)")
    version = _version()


class PreventionInterviewInputSerializer(serializers.Serializer):
    held_at = serializers.DateTimeField(help_text="Not before the return, not in the future")
    where_child_was = serializers.CharField(allow_blank=True)
    with_whom = serializers.CharField(allow_blank=True, default="")
    why_left = serializers.CharField(allow_blank=True)
    harm_disclosed = serializers.CharField(allow_blank=True, default="")
    indicators = _indicators(default=list)
    child_account = serializers.CharField(allow_blank=True,
                                          help_text="The child's own account, in their words")


class WaiverInputSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True,
                                   help_text="Why the prevention interview could not happen")


class CloseInputSerializer(serializers.Serializer):
    """The closing summary: every part is required. A missing part is named with the other
    blockers (400, `field_errors.blockers`)."""
    what_happened = serializers.CharField(allow_blank=True, default="")
    why_went = serializers.CharField(allow_blank=True, default="",
                                     help_text="Why the child went")
    risks_found = serializers.CharField(allow_blank=True, default="")
    what_next = serializers.CharField(allow_blank=True, default="")
    version = _version()


class WithdrawInputSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True,
                                   help_text="Why the report was made in error (required)")
    version = _version()


class ReturnInterviewUpdateSerializer(serializers.Serializer):
    """Progress of the return-home interview. Send only what changes; a time cannot be cleared
    once recorded."""

    offered_at = serializers.DateTimeField(required=False)
    response = CodeChoiceField(ReturnHomeInterview.Response.choices, noun="response",
                               required=False)
    completed_at = serializers.DateTimeField(required=False)
    interviewer_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    where_went = serializers.CharField(required=False, allow_blank=True)
    with_whom = serializers.CharField(required=False, allow_blank=True)
    why_left = serializers.CharField(required=False, allow_blank=True)
    harm = serializers.CharField(required=False, allow_blank=True)
    what_would_help = serializers.CharField(required=False, allow_blank=True)
    child_words = serializers.CharField(required=False, allow_blank=True)
    indicators = _indicators(required=False)
    share = serializers.BooleanField(
        required=False, help_text="Share the findings back to police (once completed): they "
                                  "show on the child's record and inform the next assessment")
    version = serializers.IntegerField(
        required=False, allow_null=True, min_value=1,
        help_text="The interview's `version` you loaded; a newer one answers 409 Conflict")

    def validate(self, attrs):
        unexpected = sorted(set(self.initial_data) - set(self.fields))
        if unexpected:
            raise serializers.ValidationError(
                f"Unexpected field {unexpected[0]!r}: a return-home interview has "
                + ", ".join(self.fields))
        if not attrs:
            raise serializers.ValidationError("Send at least one field to change")
        return attrs

    def service_arguments(self) -> dict:
        """The validated body as return_interview_update's keyword arguments."""
        data = dict(self.validated_data)
        version = data.pop("version", None)
        findings = {name: data.pop(name) for name in RHI_FINDINGS if name in data}
        return {**data, **findings, "expected_version": version}


class AddendumInputSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True,
                                   help_text="Why the addendum is needed (required)")
    text = serializers.CharField(allow_blank=True, help_text="The correction or note")
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1,
        help_text="The interview's `version` you loaded; a newer one answers 409 Conflict")


# --- out -------------------------------------------------------------------------------------

class InterviewAddendumSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    author = UserRefSerializer()
    organisation = serializers.CharField(source="organisation.name", allow_null=True,
                                         default=None,
                                         help_text="The provider, or null for police")
    reason = serializers.CharField()
    text = serializers.CharField()


class FoundSerializer(serializers.Serializer):
    found_at = serializers.DateTimeField()
    found_where = serializers.CharField()
    found_by = serializers.ChoiceField(choices=FoundBy.choices)
    condition = serializers.ChoiceField(choices=Condition.choices)
    harms = serializers.ListField(child=serializers.ChoiceField(choices=Harm.choices))
    notes = serializers.CharField()
    found_place = serializers.UUIDField(source="found_place_id", allow_null=True,
                                        help_text="A place of the force (issue 11)")
    time_missing_seconds = serializers.SerializerMethodField(
        help_text="From last seen to found, in seconds")
    recorded_at = serializers.DateTimeField(source="created_at")
    recorded_by = UserRefSerializer(source="created_by", allow_null=True)

    @extend_schema_field(serializers.IntegerField())
    def get_time_missing_seconds(self, record) -> int:
        return seconds(record.time_missing)


class PreventionInterviewSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    episode = serializers.UUIDField(source="episode_id")
    interviewer = UserRefSerializer()
    held_at = serializers.DateTimeField()
    where_child_was = serializers.CharField()
    with_whom = serializers.CharField()
    why_left = serializers.CharField()
    harm_disclosed = serializers.CharField()
    indicators = serializers.ListField(child=serializers.ChoiceField(choices=Indicator.choices))
    child_account = serializers.CharField()


class PreventionWaiverSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    episode = serializers.UUIDField(source="episode_id")
    reason = serializers.CharField()
    requested_at = serializers.DateTimeField(source="created_at")
    requested_by = UserRefSerializer(source="created_by", allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True,
                                            help_text="Null until a supervisor approves it")
    approved_by = UserRefSerializer(allow_null=True)


class MarkerProposalSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    episode = serializers.UUIDField(source="episode_id")
    child = serializers.UUIDField(source="child_id")
    kind = serializers.CharField(help_text="The marker it would add to the child's record")
    indicators = serializers.ListField(child=serializers.ChoiceField(choices=Indicator.choices))
    source = serializers.CharField(help_text="prevention_interview or return_home_interview")
    proposed_at = serializers.DateTimeField(source="created_at")
    status = serializers.ChoiceField(choices=MarkerProposal.Status.choices)
    decided_at = serializers.DateTimeField(allow_null=True)
    decided_by = UserRefSerializer(allow_null=True)
    decision_note = serializers.CharField()
    marker = serializers.UUIDField(source="marker_id", allow_null=True,
                                   help_text="The marker added, once confirmed")


class ReturnInterviewSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    episode = serializers.UUIDField(source="episode_id")
    local_authority = serializers.CharField()
    referred_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(help_text="72 hours after the return (statutory)")
    overdue_seconds = serializers.SerializerMethodField(
        help_text="How long past due, in seconds, while neither completed nor declined")
    offered_at = serializers.DateTimeField(allow_null=True)
    response = serializers.ChoiceField(choices=ReturnHomeInterview.Response.choices,
                                       allow_blank=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    within_72_hours = serializers.BooleanField(allow_null=True,
                                               help_text="Null until completed")
    interviewer_name = serializers.CharField()
    where_went = serializers.CharField()
    with_whom = serializers.CharField()
    why_left = serializers.CharField()
    harm = serializers.CharField()
    indicators = serializers.ListField(child=serializers.ChoiceField(choices=Indicator.choices))
    what_would_help = serializers.CharField()
    child_words = serializers.CharField()
    shared_at = serializers.DateTimeField(allow_null=True,
                                          help_text="When the findings were shared with police")
    findings_frozen = serializers.BooleanField(
        help_text="Completed and shared: the findings are never edited again; a correction is "
                  "an addendum")
    addenda = InterviewAddendumSerializer(many=True, source="addenda.all",
                                          help_text="Corrections and notes, oldest first")
    version = serializers.IntegerField(
        help_text="Send it back with a change; a change based on an older one answers 409")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_overdue_seconds(self, interview: ReturnHomeInterview) -> int | None:
        if interview.completed_at or interview.response == ReturnHomeInterview.Response.DECLINED:
            return None
        return overdue_seconds(interview.due_at, self.context.get("now"))


class ReturnSerializer(serializers.Serializer):
    """The return, on the episode: null until the child is found."""

    found = FoundSerializer()
    prevention_interview = PreventionInterviewSerializer(allow_null=True)
    prevention_waiver = PreventionWaiverSerializer(source="waiver", allow_null=True)
    return_home_interview = ReturnInterviewSerializer(source="rhi", allow_null=True)
    marker_proposals = MarkerProposalSerializer(source="proposals", many=True)

"""Risk assessments: answers and the chosen grade in; the recommendation and its reasons out."""

from __future__ import annotations

from collections.abc import Mapping

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mispers.risk.models import Assessment, FactorAnswer
from mispers.risk.policy import ANSWERS
from mispers.risk.services import AnswerInput

from .episodes import ReasonSerializer, grade_label
from .fields import GradeField


class AnswerObjectSerializer(serializers.Serializer):
    answer = serializers.CharField(help_text="yes, no or unknown")
    source = serializers.CharField(allow_blank=True, default="",
                                   help_text="Who gave this answer")
    obtained_at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                            help_text="When it was obtained (default: now)")
    note = serializers.CharField(allow_blank=True, default="",
                                 help_text="Why the grade is ratified or declined (required: "
                                           "a blank note is refused with 400)")

    def validate(self, attrs):
        unexpected = sorted(set(self.initial_data) - set(self.fields))
        if unexpected:
            raise serializers.ValidationError(
                f"Unexpected key {unexpected[0]!r}: an answer has answer, source, obtained_at "
                "and note")
        return attrs


ANSWERS_SCHEMA = {
    "type": "object",
    "description": "Factor code to an answer: either yes/no/unknown, or an object with the "
                   "answer, its source, when it was obtained and a note. Factors left out "
                   "count as unknown.",
    "additionalProperties": {
        "oneOf": [
            {"type": "string", "enum": list(ANSWERS)},
            {"type": "object", "required": ["answer"], "additionalProperties": False,
             "properties": {
                 "answer": {"type": "string", "enum": list(ANSWERS)},
                 "source": {"type": "string", "description": "Who gave this answer"},
                 "obtained_at": {"type": "string", "format": "date-time", "nullable": True,
                                 "description": "When it was obtained (default: now)"},
                 "note": {"type": "string"},
             }},
        ],
    },
    "example": {"exploitation": "unknown",
                "mental_health": {"answer": "yes", "source": "Care worker",
                                  "obtained_at": "2026-03-14T14:30:00Z", "note": ""}},
}


@extend_schema_field(ANSWERS_SCHEMA)
class AnswersField(serializers.Field):
    """`{code: "yes"}` or `{code: {answer, source, obtained_at, note}}`, to AnswerInput objects.

    Whether each code is a factor and each answer is yes/no/unknown is the service's to say.
    """

    default_error_messages = {"not_a_dict": "Answers must be an object of factor code to answer"}

    def to_internal_value(self, data) -> dict[str, AnswerInput]:
        if not isinstance(data, Mapping):
            self.fail("not_a_dict")
        answers: dict[str, AnswerInput] = {}
        errors: dict[str, list] = {}
        for code, value in data.items():
            if isinstance(value, str):
                answers[str(code)] = AnswerInput(answer=value)
                continue
            if not isinstance(value, Mapping):
                errors[str(code)] = ["Give yes, no or unknown, or an object with an answer"]
                continue
            item = AnswerObjectSerializer(data=value)
            if not item.is_valid():
                errors[str(code)] = item.errors
                continue
            answers[str(code)] = AnswerInput(**item.validated_data)
        if errors:
            raise serializers.ValidationError(errors)
        return answers

    def to_representation(self, value):
        return value


class AssessmentInputSerializer(serializers.Serializer):
    answers = AnswersField()
    grade = GradeField(help_text="The grade the officer chooses")
    rationale = serializers.CharField(allow_blank=True, default="",
                                      help_text="Required when the grade is below the "
                                                "recommendation")
    version = serializers.IntegerField(required=False, allow_null=True, default=None,
                                       min_value=1,
                                       help_text="The episode version you loaded; a newer "
                                                 "one answers 409 Conflict")


class FactorAnswerSerializer(serializers.Serializer):
    factor = serializers.CharField()
    answer = serializers.ChoiceField(choices=FactorAnswer.Answer.choices)
    source = serializers.CharField()
    obtained_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField()


class AssessmentContextSerializer(serializers.Serializer):
    age = serializers.IntegerField(source="age_at_report")
    looked_after = serializers.BooleanField()
    missing_from = serializers.CharField()
    earlier_episodes_90d = serializers.IntegerField()
    exploitation_marker = serializers.BooleanField()
    linked_to_exploitation_hub = serializers.BooleanField(
        help_text="The child was linked to an exploitation hub of the force when assessed "
                  "(an associate, vehicle, phone, handle or place linked to several missing "
                  "children; ADR 51)")


class AssessmentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    episode = serializers.UUIDField(source="episode_id")
    episode_reference = serializers.CharField(source="episode.reference")
    sequence = serializers.IntegerField()
    assessed_at = serializers.DateTimeField()
    assessed_by = serializers.CharField(source="assessed_by.display_with_rank")
    context = AssessmentContextSerializer(source="*",
                                          help_text="What the policy saw, as it was")
    answers = FactorAnswerSerializer(many=True, source="answers.all")
    recommended_grade = GradeField()
    reasons = ReasonSerializer(many=True)
    grade = GradeField(source="chosen_grade", help_text="The grade the officer chose")
    grade_label = serializers.SerializerMethodField()
    effective_grade = GradeField(
        help_text="The grade that governs the response: the recommendation until a downgrade "
                  "is ratified")
    rationale = serializers.CharField()
    status = serializers.ChoiceField(choices=Assessment.Status.choices)
    required_rank = serializers.CharField(help_text="Lowest rank that may ratify; empty when "
                                                    "accepted")
    policy = serializers.CharField(source="policy_name")
    policy_version = serializers.CharField()
    ratified_by = serializers.SerializerMethodField()
    ratified_at = serializers.DateTimeField(allow_null=True)
    ratification_note = serializers.CharField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_grade_label(self, assessment: Assessment) -> str:
        return grade_label(self, assessment.chosen_grade)

    @extend_schema_field(OpenApiTypes.STR)
    def get_ratified_by(self, assessment: Assessment) -> str:
        return assessment.ratified_by.display_with_rank if assessment.ratified_by_id else ""


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, default="",
                                 help_text="Why the grade is ratified or declined (required: "
                                           "a blank note is refused with 400)")

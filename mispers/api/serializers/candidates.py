"""Intake candidates: the search in, the ranked children with their scores and reasons out."""

from __future__ import annotations

from rest_framework import serializers

from mispers.matching.intake import MAX_AGE, MAX_LIMIT, IntakeQuery

from .children import ChildSummarySerializer


class CandidateQuerySerializer(serializers.Serializer):
    given_name = serializers.CharField(max_length=100, required=False, allow_blank=True,
                                       default="", help_text="Or the name they are known by")
    family_name = serializers.CharField(max_length=100, required=False, allow_blank=True,
                                        default="")
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None,
                                          help_text="YYYY-MM-DD")
    age = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0,
                                   max_value=MAX_AGE,
                                   help_text="Only if the date of birth is not known")
    address = serializers.CharField(max_length=300, required=False, allow_blank=True,
                                    default="", help_text="Home or placement address")
    limit = serializers.IntegerField(required=False, default=5, min_value=1,
                                     max_value=MAX_LIMIT)

    def validate(self, data):
        if not (data["given_name"].strip() or data["family_name"].strip()):
            raise serializers.ValidationError(
                {"family_name": ["Enter the child's given name or family name"]})
        return data

    def query(self, *, today) -> IntakeQuery:
        data = self.validated_data
        return IntakeQuery(given_name=data["given_name"], family_name=data["family_name"],
                           date_of_birth=data["date_of_birth"], age=data["age"], age_on=today,
                           address=data["address"])


class CandidateReasonSerializer(serializers.Serializer):
    field = serializers.ChoiceField(
        choices=["given_name", "family_name", "name", "date_of_birth", "address"])
    agrees = serializers.BooleanField(help_text="True where the field agreed (or nearly)")
    text = serializers.CharField()


class CandidateSerializer(serializers.Serializer):
    child = ChildSummarySerializer()
    score = serializers.IntegerField(help_text="0 to 100")
    strong = serializers.BooleanField(
        help_text="Score at or above the strong threshold: recording a new child instead "
                  "needs `confirmed_new_child`")
    reasons = CandidateReasonSerializer(many=True)

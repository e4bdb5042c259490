"""A supervisory review in: notes, next actions and an optional re-grade. Apart from the
outputs (serializers.reviews) because the re-grade's answers come from serializers.assessments,
which builds on serializers.episodes, which shows the reviews."""

from __future__ import annotations

from rest_framework import serializers

from .assessments import AnswersField
from .fields import GradeField
from .reviews import VERSION_HELP


class RegradeSerializer(serializers.Serializer):
    """A re-grade made with the review: recorded first as a new assessment."""

    answers = AnswersField()
    grade = GradeField(help_text="The grade the reviewer chooses")
    rationale = serializers.CharField(allow_blank=True, default="",
                                      help_text="Required when the grade is below the "
                                                "recommendation")


class ReviewInputSerializer(serializers.Serializer):
    notes = serializers.CharField(allow_blank=True, help_text="The review itself")
    next_actions = serializers.CharField(
        allow_blank=True, default="",
        help_text="One action per line; each becomes an action for the episode's owner")
    regrade = RegradeSerializer(required=False, allow_null=True, default=None,
                                help_text="Optional: re-grade the risk with this review")
    version = serializers.IntegerField(required=False, allow_null=True, default=None,
                                       min_value=1, help_text=VERSION_HELP)

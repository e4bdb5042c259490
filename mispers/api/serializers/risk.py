"""The stateless grading endpoint: one case in, in the same shape as `mispers grade` takes."""

from rest_framework import serializers

from mispers.episodes.models import MissingFrom
from mispers.risk.policy import ANSWERS

from .fields import GradeField


class CaseSerializer(serializers.Serializer):
    """Documentation of a case. The body is checked by the policy engine's own case parser
    (mispers.risk.policy.parse_case), so the API and the command refuse the same things with
    the same words."""

    policy = serializers.CharField(default="national",
                                   help_text="'national' or a force code such as 'dorset'")
    age = serializers.IntegerField(min_value=0, max_value=17)
    looked_after = serializers.BooleanField()
    missing_from = serializers.ChoiceField(choices=MissingFrom.choices)
    earlier_episodes_90d = serializers.IntegerField(min_value=0)
    exploitation_marker = serializers.BooleanField()
    linked_to_exploitation_hub = serializers.BooleanField(
        required=False, default=False,
        help_text="Optional (false when left out): the child is linked to an exploitation hub "
                  "(ADR 51); an overlay may raise the grade on it")
    answers = serializers.DictField(
        child=serializers.ChoiceField(choices=list(ANSWERS)), required=False,
        help_text="Factor code to yes, no or unknown; factors left out count as unknown")
    chosen = GradeField(required=False,
                                     help_text="Optional: the grade an officer would choose")
    rationale = serializers.CharField(required=False, allow_blank=True)


class CaseResultSerializer(serializers.Serializer):
    grade = GradeField(help_text="The recommended grade")
    reasons = serializers.ListField(child=serializers.CharField(),
                                    help_text="Every rule that fired, highest grade first")
    policy = serializers.CharField()
    policy_version = serializers.CharField()
    chosen = GradeField(required=False)
    status = serializers.CharField(required=False,
                                   help_text="accepted or pending_ratification")
    required_rank = serializers.CharField(required=False, allow_null=True)

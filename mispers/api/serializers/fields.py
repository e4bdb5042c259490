"""Fields shared by the serializers."""

from rest_framework import serializers

from mispers.episodes.models import Grade

GRADE_VALUES = list(Grade.values)


class GradeField(serializers.ChoiceField):
    """A national grade code, refused with a message that lists the grades."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {}).setdefault(
            "invalid_choice",
            "Unknown grade {input}: the grades are " + ", ".join(GRADE_VALUES))
        super().__init__(choices=Grade.choices, **kwargs)


class OptionalGradeField(GradeField):
    """A grade, or empty before the first assessment."""

    def __init__(self, **kwargs):
        super().__init__(allow_blank=True, **kwargs)

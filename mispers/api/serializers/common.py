"""Small shapes the clock, review, return and queue serializers share: a person, an episode in a
list of work, a coded choice, how overdue something is."""

from __future__ import annotations

import datetime as dt

from rest_framework import serializers

from mispers.episodes.models import Episode

from .fields import OptionalGradeField


def seconds(delta: dt.timedelta | None) -> int | None:
    """How long, in whole seconds (None when there is nothing to count)."""
    return int(delta.total_seconds()) if delta is not None else None


def overdue_seconds(due_at: dt.datetime | None, now: dt.datetime | None) -> int | None:
    """Seconds past `due_at` at `now`; None when not (yet) overdue."""
    if due_at is None or now is None or due_at >= now:
        return None
    return seconds(now - due_at)


class CodeChoiceField(serializers.ChoiceField):
    """A coded choice refused with a message that lists the codes (like GradeField)."""

    def __init__(self, choices, *, noun: str, **kwargs):
        codes = ", ".join(str(value) for value, _ in choices)
        kwargs.setdefault("error_messages", {}).setdefault(
            "invalid_choice", f"Unknown {noun} {{input}}: use one of {codes}")
        super().__init__(choices=choices, **kwargs)


class UserRefSerializer(serializers.Serializer):
    """A person, as the API names them: their id (send it back to hand over or assign), their
    name with rank, and the rank code."""

    id = serializers.UUIDField()
    name = serializers.CharField(source="display_with_rank")
    rank = serializers.CharField()


class EpisodeRefSerializer(serializers.Serializer):
    """The episode a piece of work belongs to."""

    id = serializers.UUIDField()
    reference = serializers.CharField()
    state = serializers.ChoiceField(choices=Episode.State.choices)
    current_grade = OptionalGradeField()
    child_id = serializers.UUIDField()
    child_name = serializers.CharField(source="child.full_name")


class VersionSerializer(serializers.Serializer):
    """A body with nothing but the episode's version (optional)."""

    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1,
        help_text="The episode version you loaded; a newer one answers 409 Conflict")


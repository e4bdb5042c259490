"""Reads of episodes, always scoped to the user's force."""

from django.db.models import QuerySet

from mispers.accounts.rules import is_police_user
from mispers.core.errors import NotFound

from .models import Episode, TimelineEvent

OPEN_STATES = (Episode.State.REPORTED, Episode.State.OPEN)


def episodes_visible_to(*, user) -> QuerySet[Episode]:
    if not is_police_user(user):
        return Episode.objects.none()
    return Episode.objects.filter(force_id=user.force_id)


def episodes_list_for(*, user, states=None, grade: str = "") -> QuerySet[Episode]:
    """Episodes for a list (page or API): child joined, optional state and grade filters."""
    qs = episodes_visible_to(user=user).select_related("child")
    if states:
        qs = qs.filter(state__in=states)
    if grade:
        qs = qs.filter(current_grade=grade)
    return qs.order_by("-reported_at")


def open_episodes_for(*, user, grade: str = "") -> QuerySet[Episode]:
    return episodes_list_for(user=user, states=OPEN_STATES, grade=grade)


def episode_for(*, user, episode_id) -> Episode:
    try:
        return episodes_visible_to(user=user).select_related("child", "force", "created_by").get(
            pk=episode_id)
    except (Episode.DoesNotExist, ValueError) as exc:
        raise NotFound("Episode not found") from exc


def episode_by_reference_for(*, user, reference: str) -> Episode:
    try:
        return episodes_visible_to(user=user).select_related("child", "force").get(
            reference=reference)
    except Episode.DoesNotExist as exc:
        raise NotFound("Episode not found") from exc


def timeline_for(*, episode: Episode) -> QuerySet[TimelineEvent]:
    return episode.timeline.select_related("actor").order_by("at", "id")


def episodes_of_child(*, user, child) -> QuerySet[Episode]:
    return episodes_visible_to(user=user).filter(child=child).order_by("-reported_at")

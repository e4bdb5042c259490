"""Reads of episodes, always scoped to the user's force."""

from dataclasses import dataclass

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


@dataclass(frozen=True)
class ChildHistory:
    """What a call handler needs of a child's episodes to recognise them at intake."""

    episodes: int
    last: Episode | None
    open: Episode | None


def histories_of_children(*, user, child_ids) -> dict:
    """child id -> ChildHistory, for the children of the user's force among `child_ids`: one
    query whatever the number of children (issue 11: the intake candidates)."""
    rows = (episodes_visible_to(user=user).filter(child_id__in=list(child_ids))
            .order_by("child_id", "-reported_at").only("id", "child_id", "reference", "state",
                                                        "reported_at", "force_id"))
    found: dict = {}
    for episode in rows:
        count, last, open_one = found.get(episode.child_id, (0, None, None))
        is_open = episode.state in OPEN_STATES
        found[episode.child_id] = (count + 1, last or episode,
                                   open_one or (episode if is_open else None))
    return {child_id: ChildHistory(*values) for child_id, values in found.items()}

"""Reads for the merge review queue and the merge history, scoped to the user's force."""

from __future__ import annotations

from django.db.models import Count, Max, QuerySet

from mispers.accounts.rules import is_police_user
from mispers.core.errors import NotFound
from mispers.people.models import Child

from .models import ChildMerge, DuplicateSuggestion


def suggestions_visible_to(*, user) -> QuerySet[DuplicateSuggestion]:
    if not is_police_user(user):
        return DuplicateSuggestion.objects.none()
    return DuplicateSuggestion.objects.filter(force_id=user.force_id)


def suggestions_pending_for(*, user) -> QuerySet[DuplicateSuggestion]:
    """Pairs waiting for a decision, strongest first. A pair in which a child has since been
    merged is left out (it comes back if that merge is undone)."""
    return (suggestions_visible_to(user=user)
            .filter(status=DuplicateSuggestion.Status.PENDING,
                    child_a__merged_into__isnull=True, child_b__merged_into__isnull=True)
            .select_related("child_a", "child_b")
            .order_by("-match_weight", "id"))


def suggestion_for(*, user, suggestion_id) -> DuplicateSuggestion:
    try:
        return suggestions_visible_to(user=user).select_related(
            "child_a", "child_b", "decided_by").get(pk=suggestion_id)
    except (DuplicateSuggestion.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("Suggestion not found") from exc


def merges_visible_to(*, user) -> QuerySet[ChildMerge]:
    if not is_police_user(user):
        return ChildMerge.objects.none()
    return (ChildMerge.objects.filter(force_id=user.force_id)
            .select_related("survivor", "merged", "merged_by", "undone_by")
            .order_by("-merged_at", "-id"))


def merge_for(*, user, merge_id) -> ChildMerge:
    try:
        return merges_visible_to(user=user).get(pk=merge_id)
    except (ChildMerge.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("Merge not found") from exc


def merge_of_child(*, child: Child) -> ChildMerge | None:
    """The merge that retired this record, if it is retired."""
    if child.merged_into_id is None:
        return None
    return (ChildMerge.objects.filter(merged=child, undone_at__isnull=True)
            .select_related("survivor", "merged_by").order_by("-merged_at").first())


def children_summaries(*, ids) -> dict:
    """The children of a page of pairs, by id, each with its aliases, number of episodes and
    last report: three queries however many pairs."""
    children = (Child.objects.filter(pk__in=set(ids))
                .annotate(episode_count=Count("episodes"),
                          last_reported_at=Max("episodes__reported_at"))
                .prefetch_related("aliases"))
    return {child.pk: child for child in children}

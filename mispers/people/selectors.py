"""Reads of children, always scoped to what the user may see."""

from django.db.models import Q, QuerySet

from mispers.accounts.rules import is_police_user
from mispers.core.errors import NotFound

from .models import Child, Marker


def child_records_visible_to(*, user) -> QuerySet[Child]:
    """Every record of the user's force, including those merged into another record."""
    if not is_police_user(user):
        return Child.objects.none()
    return Child.objects.filter(force_id=user.force_id)


def children_visible_to(*, user) -> QuerySet[Child]:
    """The force's children: a record merged into another is no longer a child of its own, so
    it is left out of every list, search and look-up (its page still opens, see below)."""
    return child_records_visible_to(user=user).filter(merged_into__isnull=True)


def child_for(*, user, child_id) -> Child:
    try:
        return children_visible_to(user=user).prefetch_related("aliases", "markers").get(
            pk=child_id)
    except (Child.DoesNotExist, ValueError) as exc:  # ValueError: not a UUID
        raise NotFound("Child not found") from exc


def child_record_for(*, user, child_id) -> Child:
    """A child's page: like child_for, but a record merged into another still opens, so that
    an old link or reference shows where the child's record went."""
    try:
        return child_records_visible_to(user=user).select_related("merged_into").prefetch_related(
            "aliases", "markers").get(pk=child_id)
    except (Child.DoesNotExist, ValueError) as exc:  # ValueError: not a UUID
        raise NotFound("Child not found") from exc


def children_search(*, user, text: str = "", limit: int = 50) -> QuerySet[Child]:
    """Name search for the intake screen: every word must match a name or an alias."""
    qs = children_visible_to(user=user)
    for word in text.split():
        qs = qs.filter(
            Q(given_name__icontains=word) | Q(family_name__icontains=word)
            | Q(aliases__given_name__icontains=word) | Q(aliases__family_name__icontains=word)
        )
    return qs.distinct().order_by("family_name", "given_name")[:limit]


def marker_overlapping(*, child, kind: str, active_from, active_until=None) -> Marker | None:
    """The child's marker of this kind whose period shares a day with [active_from,
    active_until] (open-ended when None): a child has one active marker of each kind (ADR 22)."""
    overlapping = Marker.objects.filter(child=child, kind=kind).filter(
        Q(active_until__isnull=True) | Q(active_until__gte=active_from))
    if active_until is not None:
        overlapping = overlapping.filter(active_from__lte=active_until)
    return overlapping.order_by("active_from", "created_at").first()


def active_markers_of_children(*, child_ids, on) -> dict:
    """child id -> the markers active on `on`, in one query (intake candidates, issue 11)."""
    found: dict = {}
    for marker in Marker.objects.filter(child_id__in=list(child_ids), active_from__lte=on).filter(
            Q(active_until__isnull=True) | Q(active_until__gte=on)).order_by("kind"):
        found.setdefault(marker.child_id, []).append(marker)
    return found

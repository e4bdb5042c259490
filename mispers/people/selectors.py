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


def marker_overlapping(*, child, kind: str, active_from, active_until=None,
                       subtype: str = "") -> Marker | None:
    """The child's marker of this kind (and exploitation subtype) whose period shares a day
    with [active_from, active_until] (open-ended when None): a child has one active marker of
    each kind and subtype (ADR 22, ADR 38)."""
    overlapping = Marker.objects.filter(child=child, kind=kind, subtype=subtype).filter(
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



def exploitation_marker_active(*, child, on) -> Marker | None:
    """The child's earliest exploitation marker, of any subtype, active on `on`."""
    return (Marker.objects.filter(child=child, kind=Marker.Kind.EXPLOITATION,
                                  active_from__lte=on)
            .filter(Q(active_until__isnull=True) | Q(active_until__gte=on))
            .order_by("active_from", "created_at").first())


def marker_for(*, child, marker_id) -> Marker:
    """One of this child's markers (the child already checked as visible to the user)."""
    try:
        return child.markers.get(pk=marker_id)
    except (Marker.DoesNotExist, ValueError) as exc:
        raise NotFound("Marker not found") from exc


CHANGE_FIELDS = ("given_name", "family_name", "date_of_birth", "estimated_age", "sex",
                 "ethnicity", "observed_ethnicity", "description", "looked_after",
                 "local_authority", "placement_address", "placement", "home_address")


def record_changes(*, child: Child, limit: int = 10) -> list[dict]:
    """The corrections made to the child's record, newest first: when, by whom, why and which
    details changed (the history keeps every version; this reads it)."""
    versions = list(child.history.select_related("modified_by").order_by(
        "-history_date")[:limit + 1])
    changes = []
    for newer, older in zip(versions, versions[1:], strict=False):
        delta = newer.diff_against(older, included_fields=list(CHANGE_FIELDS))
        changed = {c.field for c in delta.changes}
        fields = [Child._meta.get_field(name).verbose_name for name in CHANGE_FIELDS
                  if name in changed]
        if fields or newer.history_change_reason:
            changes.append({"at": newer.history_date, "by": newer.modified_by,
                            "reason": newer.history_change_reason or "", "fields": fields})
    return changes

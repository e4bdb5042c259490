"""Reads of children, always scoped to what the user may see."""

from django.db.models import Q, QuerySet

from mispers.accounts.rules import is_police_user
from mispers.core.errors import NotFound

from .models import Child


def children_visible_to(*, user) -> QuerySet[Child]:
    if not is_police_user(user):
        return Child.objects.none()
    return Child.objects.filter(force_id=user.force_id)


def child_for(*, user, child_id) -> Child:
    try:
        return children_visible_to(user=user).prefetch_related("aliases", "markers").get(
            pk=child_id)
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

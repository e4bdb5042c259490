"""Reads of places: always within the user's force, never a merged place."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from mispers.core.errors import NotFound

from .models import Place
from .permissions import can_use_places

SEARCH_LIMIT = 10


def places_visible_to(*, user) -> QuerySet[Place]:
    if not can_use_places(user):
        return Place.objects.none()
    return (Place.objects.filter(force_id=user.force_id, merged_into__isnull=True)
            .select_related("provider"))


def place_search(*, user, text: str, kind: str = "", limit: int = SEARCH_LIMIT) -> list[Place]:
    """Places whose name, address or postcode contain every word typed, best first: names that
    start with the text, then the rest by name. A few keystrokes find a place."""
    words = re.findall(r"[\w'’-]+", text or "")[:6]  # "Oakfield House, PL4 8AA" works too
    places = places_visible_to(user=user)
    if kind:
        places = places.filter(kind=kind)
    for word in words:
        places = places.filter(Q(name__icontains=word) | Q(address__icontains=word)
                               | Q(postcode__icontains=word))
    found = list(places.order_by("name")[:limit * 3]) if words else list(
        places.order_by("name")[:limit])
    first = (text or "").strip().lower()
    found.sort(key=lambda p: (not p.name.lower().startswith(first), p.name.lower()))
    return found[:limit]


def place_for(*, user, place_id, include_merged: bool = False) -> Place:
    places = (Place.objects.filter(force_id=user.force_id).select_related("provider",
                                                                           "merged_into")
              if can_use_places(user) else Place.objects.none())
    if not include_merged:
        places = places.filter(merged_into__isnull=True)
    try:
        return places.get(pk=place_id)
    except (Place.DoesNotExist, ValueError, TypeError, ValidationError) as error:
        raise NotFound("Place not found") from error


def place_usage(*, place: Place) -> dict:
    """How many episodes went missing from, were last seen at and were found at the place:
    counts only (this page shows no child)."""
    from django.apps import apps

    episode = apps.get_model("episodes", "Episode")
    found = apps.get_model("returns", "FoundRecord")
    return {"missing_from": episode.objects.filter(missing_from_place=place).count(),
            "last_seen": episode.objects.filter(last_seen_place=place).count(),
            "found": found.objects.filter(found_place=place).count()}


def providers_for(*, user) -> list:
    """Partner organisations working with the user's force: the providers a children's home
    can be run by."""
    organisations = Place._meta.get_field("provider").related_model.objects
    return list(organisations.filter(force_links__force_id=user.force_id,
                                     force_links__status="active").order_by("name"))

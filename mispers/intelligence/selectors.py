"""Reads of intelligence: always within the user's force, only for the roles that may read it
(police-only, need-to-know; ADR 49). Each selector owns its joins, so a page's queries do not
grow with the number of links."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet

from mispers.core.errors import NotFound

from .models import Entity, EntityKind, EntityMerge, IntelligenceEvent, Link, Suggestion
from .normalise import EntityInvalid, phone_normalise, registration_normalise
from .permissions import can_use_intelligence

SEARCH_LIMIT = 50


def entity_records_visible_to(*, user) -> QuerySet[Entity]:
    """Every entity of the user's force, merged ones included (their pages still open)."""
    if not can_use_intelligence(user):
        return Entity.objects.none()
    return Entity.objects.filter(force_id=user.force_id)


def entities_visible_to(*, user) -> QuerySet[Entity]:
    return entity_records_visible_to(user=user).filter(merged_into__isnull=True)


def entity_for(*, user, entity_id, include_merged: bool = False) -> Entity:
    entities = (entity_records_visible_to(user=user) if include_merged
                else entities_visible_to(user=user))
    try:
        return entities.select_related("place", "merged_into").get(pk=entity_id)
    except (Entity.DoesNotExist, ValueError, TypeError, ValidationError) as error:
        raise NotFound("Record not found") from error


def entity_search(*, user, text: str = "", kind: str = "",
                  limit: int = SEARCH_LIMIT) -> list[Entity]:
    """The force's entities matching every word typed (name, alias, registration, number,
    handle, make, colour), with how many children each is linked to."""
    entities = entities_visible_to(user=user).select_related("place")
    if kind:
        entities = entities.filter(kind=kind)
    text = (text or "").strip()
    keys = set()
    for normalise in (phone_normalise, registration_normalise):
        try:
            keys.add(normalise(text))
        except EntityInvalid:
            pass
    for word in re.findall(r"[\w'’@+-]+", text)[:6]:
        word = word.lstrip("@")
        entities = entities.filter(
            Q(name__icontains=word) | Q(aliases__icontains=word) | Q(key__icontains=word)
            | Q(handle__icontains=word) | Q(make__icontains=word) | Q(colour__icontains=word)
            | Q(key__in=keys))
    return list(entities.annotate(children=Count("links__child", distinct=True))
                .order_by("kind", "name", "key")[:limit])


def links_of_child(*, user, child) -> list[Link]:
    if not can_use_intelligence(user) or child.force_id != user.force_id:
        return []
    return list(Link.objects.filter(child=child).select_related("entity", "entity__place",
                                                                "episode", "created_by"))


def links_of_entity(*, user, entity: Entity) -> list[Link]:
    if not can_use_intelligence(user) or entity.force_id != user.force_id:
        return []
    return list(Link.objects.filter(entity=entity).select_related("child", "episode",
                                                                  "created_by"))


def timeline_of_child(*, user, child, limit: int = 100) -> list[IntelligenceEvent]:
    if not can_use_intelligence(user) or child.force_id != user.force_id:
        return []
    return list(IntelligenceEvent.objects.filter(child=child).select_related("actor",
                                                                             "entity")[:limit])


def timeline_of_entity(*, user, entity: Entity, limit: int = 100) -> list[IntelligenceEvent]:
    if not can_use_intelligence(user) or entity.force_id != user.force_id:
        return []
    return list(IntelligenceEvent.objects.filter(entity=entity).select_related("actor",
                                                                              "child")[:limit])


def entity_duplicates(*, entity: Entity) -> list[Entity]:
    """Other records of the same phone, plate, handle or place (same kind and key), and persons
    sharing a name or street name: the merges to offer."""
    others = Entity.objects.filter(force_id=entity.force_id, kind=entity.kind,
                                   merged_into__isnull=True).exclude(pk=entity.pk)
    if entity.kind == EntityKind.PERSON:
        names = [name.lower() for name in entity.names]
        return [other for other in others if {n.lower() for n in other.names} & set(names)]
    return list(others.filter(key=entity.key)) if entity.key else []


def merges_of(*, entity: Entity) -> list[EntityMerge]:
    """The merges into this record and of this record, newest first."""
    return list(EntityMerge.objects.filter(Q(kept=entity) | Q(duplicate=entity))
                .select_related("kept", "duplicate", "created_by", "undone_by"))


def merge_for(*, user, merge_id) -> EntityMerge:
    merges = (EntityMerge.objects.filter(force_id=user.force_id)
              if can_use_intelligence(user) else EntityMerge.objects.none())
    try:
        return merges.select_related("kept", "duplicate").get(pk=merge_id)
    except (EntityMerge.DoesNotExist, ValueError, TypeError, ValidationError) as error:
        raise NotFound("Merge not found") from error


def suggestions_open(*, user, child=None, limit: int = 100) -> list[Suggestion]:
    if not can_use_intelligence(user):
        return []
    suggestions = Suggestion.objects.filter(force_id=user.force_id,
                                            state=Suggestion.State.OPEN)
    if child is not None:
        suggestions = suggestions.filter(child=child)
    return list(suggestions.select_related("child", "episode", "entity")[:limit])


def suggestion_for(*, user, suggestion_id) -> Suggestion:
    suggestions = (Suggestion.objects.filter(force_id=user.force_id)
                   if can_use_intelligence(user) else Suggestion.objects.none())
    try:
        return suggestions.select_related("child", "episode", "entity").get(pk=suggestion_id)
    except (Suggestion.DoesNotExist, ValueError, TypeError, ValidationError) as error:
        raise NotFound("Suggestion not found") from error

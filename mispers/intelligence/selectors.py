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


def suggestions_open(*, user, child=None, source_ref: str | None = None,
                     limit: int = 100) -> list[Suggestion]:
    """The force's suggestions waiting for a decision (`child`: that child's; `source_ref`:
    those read from one text, such as one return-home interview)."""
    if not can_use_intelligence(user):
        return []
    suggestions = Suggestion.objects.filter(force_id=user.force_id,
                                            state=Suggestion.State.OPEN)
    if child is not None:
        suggestions = suggestions.filter(child=child)
    if source_ref is not None:
        suggestions = suggestions.filter(source_ref=source_ref)
    return list(suggestions.select_related("child", "episode", "entity")[:limit])


def suggestion_for(*, user, suggestion_id) -> Suggestion:
    suggestions = (Suggestion.objects.filter(force_id=user.force_id)
                   if can_use_intelligence(user) else Suggestion.objects.none())
    try:
        return suggestions.select_related("child", "episode", "entity").get(pk=suggestion_id)
    except (Suggestion.DoesNotExist, ValueError, TypeError, ValidationError) as error:
        raise NotFound("Suggestion not found") from error


# --- the network (issue 14, ADR 50) -------------------------------------------------------------

def network_for(*, user, filters, child_url=None, entity_url=None):
    """The network of the user's force for the filters, pseudonymous for the analyst; nothing
    for anyone else (the pages answer 403 before this)."""
    from mispers.risk.selectors import policy_for_force

    from .hubs import HubRule
    from .network import build_network
    from .permissions import can_see_network, network_is_pseudonymous

    if not can_see_network(user):
        raise PermissionError("May not see the network")
    pseudonymous = network_is_pseudonymous(user)
    return build_network(force_id=user.force_id, filters=filters,
                         rule=HubRule.of(policy_for_force(user.force)),
                         pseudonymous=pseudonymous,
                         child_url=None if pseudonymous else child_url,
                         entity_url=None if pseudonymous else entity_url)


def hub_rule_for(*, user):
    from mispers.risk.selectors import policy_for_force

    from .hubs import HubRule

    return HubRule.of(policy_for_force(user.force))


def child_network(*, user, child, on):
    """The child's panel "Network": each entity or place the child is linked to (or was found
    at), the other children linked to it (or found there), and whether it is a hub on `on`
    (hubs.hub_children_of, one node at a time: a child has a handful). Police-only."""
    from mispers.returns.models import FoundRecord

    from .hubs import hub_children_of, node_key_of_link

    if not can_use_intelligence(user) or child.force_id != user.force_id:
        return []
    rule = hub_rule_for(user=user)
    nodes: dict = {}
    for link in Link.objects.filter(child=child, entity__merged_into__isnull=True) \
            .select_related("entity", "entity__place"):
        key = node_key_of_link(link.entity.kind, link.entity_id, link.entity.place_id)
        nodes.setdefault(key, {"key": key, "entity": link.entity, "label": link.entity.label,
                               "kind": link.entity.get_kind_display(), "others": {}})
    for found in FoundRecord.objects.filter(episode__child=child, found_place__isnull=False) \
            .select_related("found_place"):
        key = ("place", found.found_place_id)
        nodes.setdefault(key, {"key": key, "entity": None, "label": str(found.found_place),
                               "kind": "Place (found there)", "others": {}})
    entity_ids = [key[1] for key in nodes if key[0] == "entity"]
    place_ids = [key[1] for key in nodes if key[0] == "place"]
    others = (Link.objects.filter(force_id=user.force_id, child__merged_into__isnull=True)
              .filter(Q(entity_id__in=entity_ids)
                      | Q(entity__kind=EntityKind.PLACE, entity__place_id__in=place_ids))
              .exclude(child=child)
              .values_list("entity__kind", "entity_id", "entity__place_id", "child_id",
                           "child__given_name", "child__family_name"))
    for kind, entity_id, place_id, other, given, family in others:
        key = node_key_of_link(kind, entity_id, place_id)
        if key in nodes:
            nodes[key]["others"][other] = f"{given} {family}"
    found_there = (FoundRecord.objects.filter(found_place_id__in=place_ids,
                                              episode__force_id=user.force_id,
                                              episode__child__merged_into__isnull=True)
                   .exclude(episode__child=child)
                   .values_list("found_place_id", "episode__child_id",
                                "episode__child__given_name", "episode__child__family_name"))
    for place_id, other, given, family in found_there:
        nodes[("place", place_id)]["others"][other] = f"{given} {family}"
    rows = []
    for item in nodes.values():
        hub = hub_children_of(force_id=user.force_id, key=item["key"], on=on, rule=rule)
        rows.append({**item, "hub": bool(hub), "hub_children": len(hub),
                     "others": sorted(item["others"].items(), key=lambda kv: kv[1])})
    rows.sort(key=lambda r: (not r["hub"], -len(r["others"]), r["label"]))
    return rows

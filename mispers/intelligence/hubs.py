"""Exploitation hubs (issue 14, ADR 50): an entity (a person of interest, a vehicle, a phone, an
online handle) or a place linked to at least `hub_children` different children within
`hub_window_days`, both from the force's policy file (national default 3 children in 365 days; an
overlay may only lower the count or lengthen the window).

A place counts the children linked to it as an intelligence entity *and* the children found there
(the return's found place), since "found at an address linked to other missing children" is the
commonest sign of a hub and officers record it at the return, not as intelligence. A child
found at (returned to) their own placement does not count: every children's home would
otherwise be a hub of the children who live there (ADR 50, bench/networks.py).

Nodes are keyed the same way everywhere (this module, the network, the alerts): `("entity", id)`
for a person, vehicle, phone or handle, `("place", place_id)` for a place, whether it came from a
place entity or a found place. Reads only; no permission check here: callers are selectors and
workflows that have already checked who may see intelligence."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, F
from django.utils import timezone

from mispers.returns.models import FoundRecord

from .models import Entity, EntityKind, Link

NodeKey = tuple[str, UUID]


@dataclass(frozen=True, slots=True)
class HubRule:
    """The policy's hub threshold, as read from `policy.thresholds`."""

    children: int
    window_days: int

    @classmethod
    def of(cls, policy) -> HubRule:
        return cls(children=policy.thresholds.hub_children,
                   window_days=policy.thresholds.hub_window_days)


def node_key_of_link(link_entity_kind: str, entity_id: UUID, place_id: UUID | None) -> NodeKey:
    if link_entity_kind == EntityKind.PLACE and place_id is not None:
        return ("place", place_id)
    return ("entity", entity_id)


def found_away(found):
    """Found records of children found somewhere other than their own placement."""
    return found.exclude(found_place_id=F("episode__child__placement_id"))


def _found_in_window(*, force_id, start: dt.date, on: dt.date):
    """The force's found records with a found place, found away from the child's placement,
    between `start` and `on` inclusive in local days (bounds the index serves, unlike
    `__date`)."""
    zone = timezone.get_current_timezone()
    return found_away(FoundRecord.objects.filter(
        episode__force_id=force_id, found_place__isnull=False,
        found_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        found_at__lt=dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min, tzinfo=zone)))


def hubs_as_of(*, force_id, on: dt.date, rule: HubRule) -> dict[NodeKey, set[UUID]]:
    """The hubs on a day: each with the children that make it one. Persons, vehicles, phones
    and handles are counted by the database (GROUP BY), so only the hubs' links come back: the
    network page asks this on every request (ADR 50)."""
    start = on - dt.timedelta(days=rule.window_days)
    base = Link.objects.filter(force_id=force_id, occurred_on__gte=start, occurred_on__lte=on)
    links = base.filter(entity__merged_into__isnull=True)
    places = Entity.objects.filter(force_id=force_id, kind=EntityKind.PLACE,
                                   place__isnull=False).values("id")
    # Counted on the links alone (no join), then read with the merged entities left out.
    counted = (base.exclude(entity_id__in=places).values("entity_id")
               .annotate(children=Count("child_id", distinct=True))
               .filter(children__gte=rule.children).values("entity_id"))
    hubs: dict[NodeKey, set[UUID]] = defaultdict(set)
    for entity_id, child_id in links.filter(entity_id__in=counted).values_list("entity_id",
                                                                               "child_id"):
        hubs[("entity", entity_id)].add(child_id)
    # Places: linked as entities or found there (usually a few thousand rows at most).
    places_found: dict[NodeKey, set[UUID]] = defaultdict(set)
    for place_id, child_id in links.filter(entity__kind=EntityKind.PLACE,
                                           entity__place_id__isnull=False).values_list(
            "entity__place_id", "child_id"):
        places_found[("place", place_id)].add(child_id)
    found = _found_in_window(force_id=force_id, start=start, on=on)
    for place_id, child_id in found.values_list("found_place_id", "episode__child_id"):
        places_found[("place", place_id)].add(child_id)
    hubs.update(places_found)
    return {key: children for key, children in hubs.items() if len(children) >= rule.children}


def hub_children_of(*, force_id, key: NodeKey, on: dt.date, rule: HubRule) -> set[UUID]:
    """The children that make one entity or place a hub on a day, or an empty set when it is
    not one. Reads only that node's links, for the alert a new link raises."""
    start = on - dt.timedelta(days=rule.window_days)
    kind, ident = key
    children: set[UUID] = set()
    links = Link.objects.filter(force_id=force_id, occurred_on__gte=start, occurred_on__lte=on,
                                entity__merged_into__isnull=True)
    if kind == "place":
        links = links.filter(entity__kind=EntityKind.PLACE, entity__place_id=ident)
        children.update(_found_in_window(force_id=force_id, start=start, on=on).filter(
            found_place_id=ident).values_list("episode__child_id", flat=True))
    else:
        links = links.filter(entity_id=ident)
    children.update(links.values_list("child_id", flat=True))
    return children if len(children) >= rule.children else set()

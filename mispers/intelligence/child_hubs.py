"""The exploitation hubs one child is part of (issue 14, ADR 51), read with the hub rule of
`hubs.py`: what the hub alert, the policy context (`linked_to_exploitation_hub`) and the
grading page's police-only panel share.

A child is part of a hub when an entity or place the child is linked to (or was found at) within
the policy's window is linked to at least the policy's number of different children in that
window, this child among them. Reads only; no permission check: callers are the risk selector
(whose context the policy sees), the casework workflows and views that have checked who may
see intelligence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps

from mispers.returns.models import FoundRecord

from .hubs import HubRule, NodeKey, hub_children_of, node_key_of_link
from .models import Entity, EntityKind, Link


@dataclass(frozen=True)
class ChildLinkToHub:
    """How the child is joined to the hub: a graded link, or found there at a return."""

    kind: str  # "Seen with", "Found at (return)"
    on: dt.date
    grading: str  # "B3P", or "" for a found record


@dataclass(frozen=True)
class ChildHub:
    key: NodeKey
    label: str
    kind: str  # "person", "vehicle", "phone", "handle" or "place"
    children: frozenset = field(default_factory=frozenset)
    links: tuple[ChildLinkToHub, ...] = ()

    @property
    def key_text(self) -> str:
        """`entity:<id>` or `place:<id>`: how alerts remember the hub."""
        return key_text(self.key)

    @property
    def size(self) -> int:
        return len(self.children)


def key_text(key: NodeKey) -> str:
    return f"{key[0]}:{key[1]}"


def node_label(key: NodeKey) -> tuple[str, str]:
    """The hub's label as officers know it and its kind."""
    kind, ident = key
    if kind == "place":
        place = apps.get_model("places", "Place").objects.filter(pk=ident).first()
        return (str(place) if place is not None else "A place"), EntityKind.PLACE
    entity = Entity.objects.select_related("place").filter(pk=ident).first()
    return (entity.label if entity is not None else "A record"), (entity.kind if entity else "")


def _child_nodes(*, child, start: dt.date, end: dt.date) -> dict[NodeKey, list[ChildLinkToHub]]:
    """Every entity and place the child is linked to or was found at between the two days."""
    nodes: dict[NodeKey, list[ChildLinkToHub]] = {}
    links = (Link.objects.filter(child_id=child.pk, occurred_on__gte=start, occurred_on__lte=end,
                                 entity__merged_into__isnull=True)
             .select_related("entity").order_by("-occurred_on"))
    for link in links:
        key = node_key_of_link(link.entity.kind, link.entity_id, link.entity.place_id)
        nodes.setdefault(key, []).append(ChildLinkToHub(
            kind=link.get_kind_display(), on=link.occurred_on, grading=link.grading))
    found = (FoundRecord.objects.filter(episode__child_id=child.pk, found_place__isnull=False,
                                        found_at__date__gte=start, found_at__date__lte=end)
             .values_list("found_place_id", "found_at").order_by("-found_at"))
    for place_id, found_at in found:
        nodes.setdefault(("place", place_id), []).append(ChildLinkToHub(
            kind="Found there (at the return)", on=found_at.date(), grading=""))
    return nodes


def hubs_of_child(*, child, on: dt.date, rule: HubRule,
                  only: NodeKey | None = None) -> list[ChildHub]:
    """The hubs the child is part of on `on`, largest first (`only`: that entity or place)."""
    start = on - dt.timedelta(days=rule.window_days)
    children_of = {}
    if only is not None:
        # One node asked about (the hub check after a link or a return): whether it is a hub
        # with this child in it is read first; most are not, and then nothing else is read.
        children_of[only] = hub_children_of(force_id=child.force_id, key=only, on=on,
                                            rule=rule)
        if child.pk not in children_of[only]:
            return []
    nodes = _child_nodes(child=child, start=start, end=on)
    if only is not None:
        nodes = {only: nodes[only]} if only in nodes else {}
    hubs = []
    for key, joined in nodes.items():
        children = children_of.get(key)
        if children is None:
            children = hub_children_of(force_id=child.force_id, key=key, on=on, rule=rule)
        if child.pk not in children:
            continue
        label, kind = node_label(key)
        hubs.append(ChildHub(key=key, label=label, kind=kind, children=frozenset(children),
                             links=tuple(joined)))
    return sorted(hubs, key=lambda hub: (-hub.size, hub.label))


def linked_to_a_hub(*, child, on: dt.date, rule: HubRule) -> bool:
    """Whether the child is part of any hub on `on` (the policy context): the same test as
    `hubs_of_child`, stopping at the first hub found, without the hubs' labels."""
    start = on - dt.timedelta(days=rule.window_days)
    return any(child.pk in hub_children_of(force_id=child.force_id, key=key, on=on, rule=rule)
               for key in _child_nodes(child=child, start=start, end=on))

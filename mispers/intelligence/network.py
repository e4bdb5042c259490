"""The network (issue 14, ADR 50): for a period and filters, the graph of a force's children,
entities (persons of interest, vehicles, phones, handles) and places, with the hubs of the
policy (hubs.py), communities (networkx's Louvain, fixed seed), and two derived relations
between children: missing at overlapping times from the same placement, and found together.

Reads only, in a bounded number of queries whatever the force's size (links, found records,
episodes, then the labels of what is left in chunks); no permission check here: the selector
`network_for` in selectors.py checks who may see it and passes `pseudonymous`.

Node ids: `child:<uuid>`, `entity:<uuid>`, `place:<uuid>` for the police; for the analyst
keyed pseudonyms (`c-…` as the analysis API, `e-…`, `p-…`), never a name or a record id. The
node keys shared with hubs.py are `("child", id)`, `("entity", id)`, `("place", place_id)`."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from uuid import UUID

import networkx as nx
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from mispers.analysis.pseudonym import child_pseudonym, pseudonym_key
from mispers.episodes.models import Episode
from mispers.people.models import Child
from mispers.places.models import Place, PlaceKind
from mispers.returns.models import FoundRecord

from .hubs import HubRule, NodeKey, found_away, hubs_as_of, node_key_of_link
from .models import Entity, EntityKind, Link, LinkKind

# What is drawn and listed on the page; the exports hold everything.
DRAW_LIMIT = 200
TABLE_LIMIT = 60
COMMUNITY_SEED = 14
COMMUNITY_MIN_SIZE = 3
SMALL_COMPONENT = 12
CHILDREN_PER_ROW = 20
CHUNK = 500

MISSING_TOGETHER = "missing_together"
FOUND_TOGETHER = "found_together"
FOUND_THERE = "found_there"  # the return's found place, not graded intelligence
RELATIONS = {
    **dict(LinkKind.choices),
    FOUND_THERE: "Found there (return)",
    MISSING_TOGETHER: "Missing at the same time from the same placement",
    FOUND_TOGETHER: "Found together",
}
SOURCE_EVALUATIONS = ("A", "B", "C")
INFORMATION_ASSESSMENTS = ("1", "2", "3", "4", "5")


@dataclass(frozen=True)
class NetworkFilters:
    """`min_links`: an entity or place is kept when linked to at least this many different
    children in the period (a child linked twice counts once). Grading: links graded at least
    this well (A best, 1 best). `kinds` empty: every kind of link, and the found places."""

    start: dt.date
    end: dt.date
    kinds: tuple[str, ...] = ()
    min_links: int = 2
    source_evaluation: str = "C"
    information_assessment: str = "5"
    together: bool = True

    def wants(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds

    @property
    def every_grading(self) -> bool:
        """Whether the grading filters keep every link (the loosest of each scale)."""
        return (self.source_evaluation == SOURCE_EVALUATIONS[-1]
                and self.information_assessment == INFORMATION_ASSESSMENTS[-1])


@dataclass
class Node:
    id: str
    kind: str  # child, person, vehicle, phone, handle, place
    label: str
    key: NodeKey
    kind_label: str = ""
    hub: bool = False
    hub_children: int = 0
    children: int = 0  # different children linked in the filtered graph (entities, places)
    degree: int = 0
    community: int | None = None
    link: tuple | None = None  # (a function of an id, the id): its page, made when asked for

    @property
    def url(self) -> str:
        if self.link is None or self.link[0] is None:
            return ""
        return self.link[0](self.link[1])

    @property
    def is_child(self) -> bool:
        return self.kind == "child"


@dataclass
class Edge:
    source: str
    target: str
    relation: str  # the link kind(s) joined by ", ", found_there, missing_together ...
    grading: str = ""  # the best grading of the links it stands for
    first: dt.date | None = None
    last: dt.date | None = None
    count: int = 0

    @property
    def relation_label(self) -> str:
        return ", ".join(RELATIONS.get(code, code).lower() if i else RELATIONS.get(code, code)
                         for i, code in enumerate(self.relation.split(", ")))

    @property
    def between_children(self) -> bool:
        return self.relation.startswith(("found_together", "missing_together"))


@dataclass
class Community:
    number: int
    nodes: list[Node]

    @property
    def children(self) -> list[Node]:
        return [node for node in self.nodes if node.is_child]

    @property
    def entities(self) -> list[Node]:
        return [node for node in self.nodes if not node.is_child]

    @property
    def hubs(self) -> list[Node]:
        return [node for node in self.nodes if node.hub]


@dataclass
class Network:
    filters: NetworkFilters
    rule: HubRule
    pseudonymous: bool
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    communities: list[Community] = field(default_factory=list)
    hubs_filtered_out: int = 0
    # The real ids of the children in the graph, for the access log only (never serialised).
    child_ids: dict[str, UUID] = field(default_factory=dict)

    @property
    def hubs(self) -> list[Node]:
        return sorted((n for n in self.nodes.values() if n.hub),
                      key=lambda n: (-n.hub_children, n.label))

    def entities_ranked(self) -> list[Node]:
        """Entities and places, hubs first, then by the children linked."""
        return sorted((n for n in self.nodes.values() if not n.is_child),
                      key=lambda n: (not n.hub, -n.children, -n.degree, n.label))

    def neighbours(self) -> dict[str, list[tuple[Node, Edge]]]:
        out: dict[str, list[tuple[Node, Edge]]] = defaultdict(list)
        for edge in self.edges:
            out[edge.source].append((self.nodes[edge.target], edge))
            out[edge.target].append((self.nodes[edge.source], edge))
        return out

    def together(self) -> list[tuple[Node, Node, Edge]]:
        """The derived relations between children, newest first."""
        pairs = [(*sorted((self.nodes[e.source], self.nodes[e.target]),
                          key=lambda n: n.label), e) for e in self.edges if e.between_children]
        return sorted(pairs, key=lambda t: (-t[2].last.toordinal(),
                                                               t[0].label, t[1].label))

    def drawn(self, limit: int = DRAW_LIMIT) -> tuple[list[Node], list[Edge]]:
        """At most `limit` nodes for the drawing: hubs first, then by degree; the edges
        between them."""
        ranked = sorted(self.nodes.values(),
                        key=lambda n: (not n.hub, -n.degree, n.kind, n.label))[:limit]
        ids = {n.id for n in ranked}
        return ranked, [e for e in self.edges if e.source in ids and e.target in ids]

    def as_graph(self) -> nx.Graph:
        graph = nx.Graph()
        for node in self.nodes.values():
            graph.add_node(node.id, label=node.label, kind=node.kind, hub=node.hub,
                           hub_children=node.hub_children, children=node.children,
                           community=-1 if node.community is None else node.community)
        for edge in self.edges:
            graph.add_edge(edge.source, edge.target, relation=edge.relation,
                           grading=edge.grading, count=edge.count,
                           first=edge.first.isoformat() if edge.first else "",
                           last=edge.last.isoformat() if edge.last else "")
        return graph


# --- raw rows ------------------------------------------------------------------------------
# The graph reads tens of thousands of rows a request: the ORM's converters (a UUID object and a
# date per cell) cost more than the query, so rows come straight from the cursor and ids are
# kept as 32-character hex strings (SQLite stores them so; PostgreSQL's UUIDs give `.hex`).

def _rows(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            chunk = cursor.fetchmany(5000)
            if not chunk:
                return
            yield from chunk


def _hex(value) -> str:
    return value if isinstance(value, str) else value.hex


def _day(value) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return dt.date.fromisoformat(value[:10])


def _local_day(value) -> dt.date:
    """The local date of a stored moment, as `__date` lookups take it."""
    return timezone.localtime(_moment(value)).date()


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight at `start` and after `end`: a range the index serves (no `__date`)."""
    zone = timezone.get_current_timezone()
    return (dt.datetime.combine(start, dt.time.min, tzinfo=zone),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone))


# --- pseudonyms ---------------------------------------------------------------------------------

def _pseudonym(prefix: str, ident: UUID, key: bytes) -> str:
    digest = hmac.new(key, b"mispers.intelligence." + prefix.encode() + UUID(str(ident)).bytes,
                      hashlib.sha256).hexdigest()
    return f"{prefix}-{digest[:16]}"


def _chunks(values, size: int = CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _best(grading_a: str, grading_b: str) -> str:
    if not grading_a:
        return grading_b
    if not grading_b:
        return grading_a
    return min(grading_a, grading_b, key=lambda g: (g[0], g[1]))


# --- building ---------------------------------------------------------------------------------

def build_network(*, force_id, filters: NetworkFilters, rule: HubRule, pseudonymous: bool,
                  child_url=None, entity_url=None) -> Network:
    """The network of one force for the filters. `child_url` and `entity_url` (callables of an
    id) give the police their pages; the analyst gets none."""
    network = Network(filters=filters, rule=rule, pseudonymous=pseudonymous)
    key = pseudonym_key() if pseudonymous else b""

    # 1. Links in the period and the grading, of the kinds asked for (one query).
    base = Link.objects.filter(force_id=force_id, occurred_on__gte=filters.start,
                               occurred_on__lte=filters.end)
    # Graded at least this well, when that leaves any link out: the default (every grading)
    # keeps the count on the covering index, not a read of every row.
    if not filters.every_grading:
        base = base.filter(source_evaluation__lte=filters.source_evaluation,
                           information_assessment__lte=filters.information_assessment)
    if filters.kinds:
        base = base.filter(kind__in=[k for k in filters.kinds if k in LinkKind.values])
    links = base.filter(entity__merged_into__isnull=True, child__merged_into__isnull=True)
    if filters.min_links > 1:
        # Persons, vehicles, phones and handles linked to too few children are left out by the
        # database (most of a force's are linked to one child), counted on the links alone (no
        # join: a superset, checked again below); places are counted below, with the children
        # found there.
        places = Entity.objects.filter(force_id=force_id, kind=EntityKind.PLACE,
                                       place__isnull=False).values("id")
        enough = (base.exclude(entity_id__in=places).values("entity_id")
                  .annotate(children=Count("child_id", distinct=True))
                  .filter(children__gte=filters.min_links).values("entity_id"))
        links = links.filter(Q(entity_id__in=enough) | Q(entity_id__in=places))
    pairs: dict[tuple[NodeKey, UUID], Edge] = {}
    kinds_of: dict[tuple[NodeKey, UUID], set[str]] = defaultdict(set)
    entity_ids: dict[NodeKey, UUID] = {}
    found_with: dict[tuple[UUID, dt.date], set[UUID]] = defaultdict(set)
    # Rows are aggregated into edges only for the entities kept (step 3): most of a force's
    # entities are linked to one child and never drawn.
    raw: list[tuple] = []
    children_of: dict[NodeKey, set[str]] = defaultdict(set)
    rows = _rows(links.values_list("entity_id", "entity__kind", "entity__place_id", "child_id",
                                   "kind", "occurred_on", "source_evaluation",
                                   "information_assessment").order_by())
    for entity_id, entity_kind, place_id, child_id, kind, on, evaluation, assessment in rows:
        entity_id, child_id, on = _hex(entity_id), _hex(child_id), _day(on)
        node = node_key_of_link(entity_kind, entity_id, place_id and _hex(place_id))
        entity_ids.setdefault(node, entity_id)
        raw.append((node, child_id, kind, on, f"{evaluation}{assessment}"))
        children_of[node].add(child_id)
        if kind == LinkKind.FOUND_WITH:
            found_with[(entity_id, on)].add(child_id)

    # 2. Found places of the returns in the period (one query): found there, found together
    # (not a child returned to their own placement, as for hubs).
    found_on: dict[tuple[str, dt.date], set[str]] = defaultdict(set)
    first, after = _bounds(filters.start, filters.end)
    found = _rows(found_away(FoundRecord.objects.filter(
        episode__force_id=force_id, found_place__isnull=False,
        found_place__merged_into__isnull=True, episode__child__merged_into__isnull=True,
        found_at__gte=first, found_at__lt=after))
        .values_list("found_place_id", "episode__child_id", "found_at").order_by())
    for place_id, child_id, found_at in found:
        place_id, child_id, day = _hex(place_id), _hex(child_id), _local_day(found_at)
        if filters.wants(FOUND_THERE):
            raw.append((("place", place_id), child_id, FOUND_THERE, day, ""))
            children_of[("place", place_id)].add(child_id)
        found_on[(place_id, day)].add(child_id)

    # 3. Keep the entities and places linked to enough different children.
    kept = {node for node, children in children_of.items()
            if len(children) >= max(1, filters.min_links)}
    for node, child_id, kind, on, grading in raw:
        if node in kept:
            _add(pairs, kinds_of, node, child_id, kind, on, grading)

    # 4. The derived relations between children.
    together: dict[tuple[UUID, UUID], Edge] = {}
    if filters.together:
        for (_, on), children in [*found_on.items(), *found_with.items()]:
            _pairs_of(together, children, FOUND_TOGETHER, on)
        _missing_together(together, force_id=force_id, filters=filters)

    # 5. Nodes: labels read once for what is left, in chunks.
    children = {child for (node, child) in pairs if node in kept}
    children.update(child for pair in together for child in pair)
    child_nodes = _child_nodes(children, key=key, pseudonymous=pseudonymous,
                               child_url=child_url)
    entity_nodes = _entity_nodes(kept, entity_ids, key=key, pseudonymous=pseudonymous,
                                 entity_url=entity_url)
    for node in [*child_nodes.values(), *entity_nodes.values()]:
        network.nodes[node.id] = node
    network.child_ids = {node.id: UUID(node.key[1]) for node in child_nodes.values()}

    for (node, child_id), edge in pairs.items():
        edge.source, edge.target = child_nodes[child_id].id, entity_nodes[node].id
        edge.relation = ", ".join(sorted(kinds_of[(node, child_id)]))
        network.edges.append(edge)
        entity_nodes[node].children += 1
    for (a, b), edge in together.items():
        edge.source, edge.target = child_nodes[a].id, child_nodes[b].id
        network.edges.append(edge)

    # 6. Hubs: the policy's rule on all the force's links, as of the period's last day (the
    # display filters do not change what is a hub; hubs filtered out are counted). When the
    # filters are the rule's own view (the page's default), the rows read above are exactly the
    # rule's rows: counted here rather than read again (ADR 50, the page's time budget).
    if _is_hub_view(filters, rule):
        hubs = {key: found for key, found in children_of.items() if len(found) >= rule.children}
    else:
        hubs = {(kind, ident.hex): found for (kind, ident), found
                in hubs_as_of(force_id=force_id, on=filters.end, rule=rule).items()}
    for key, hub_children in hubs.items():
        node = entity_nodes.get(key)
        if node is None:
            network.hubs_filtered_out += 1
            continue
        node.hub, node.hub_children = True, len(hub_children)

    # 7. Degrees and communities, on the filtered graph only.
    degree: Counter[str] = Counter()
    for edge in network.edges:
        degree[edge.source] += 1
        degree[edge.target] += 1
    for node_id, count in degree.items():
        network.nodes[node_id].degree = count
    network.communities = _communities(network)
    return network


def _is_hub_view(filters: NetworkFilters, rule: HubRule) -> bool:
    """Whether the filtered rows are every row the hub rule counts on the period's last day:
    the rule's window, every kind of link and the found places, every grading, and no entity
    or place the rule could count left out by `min_links`."""
    return (filters.start == filters.end - dt.timedelta(days=rule.window_days)
            and not filters.kinds and filters.min_links <= rule.children
            and filters.every_grading)


def _add(pairs, kinds_of, node: NodeKey, child_id: UUID, kind: str, on: dt.date,
         grading: str) -> None:
    edge = pairs.get((node, child_id))
    if edge is None:
        edge = pairs[(node, child_id)] = Edge(source="", target="", relation="", first=on,
                                              last=on)
    edge.count += 1
    edge.grading = _best(edge.grading, grading)
    edge.first, edge.last = min(edge.first, on), max(edge.last, on)
    kinds_of[(node, child_id)].add(kind)


def _pairs_of(together, children: set[UUID], relation: str, on: dt.date) -> None:
    ordered = sorted(children, key=str)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            edge = together.get((a, b))
            if edge is None:
                edge = together[(a, b)] = Edge(source="", target="", relation=relation,
                                               first=on, last=on)
            elif relation not in edge.relation.split(", "):
                edge.relation = ", ".join(sorted({*edge.relation.split(", "), relation}))
            edge.count += 1
            edge.first, edge.last = min(edge.first, on), max(edge.last, on)


def _missing_together(together, *, force_id, filters: NetworkFilters) -> None:
    """Episodes of children with the same placement (the child's recorded children's home or
    foster placement) whose missing periods (last seen to found; still missing: to the period's
    end) overlap within the period (one query, then a sweep per placement)."""
    start, end = _bounds(filters.start, filters.end)
    rows = _rows(Episode.objects.filter(force_id=force_id, child__placement__isnull=False,
                                   child__merged_into__isnull=True, last_seen_at__lte=end)
            .exclude(state=Episode.State.WITHDRAWN)
            .filter(Q(found__found_at__gte=start)
                    | Q(found__isnull=True, state__in=[Episode.State.REPORTED,
                                                       Episode.State.OPEN]))
            .values_list("child__placement_id", "child_id", "last_seen_at", "found__found_at")
            .order_by())
    by_placement: dict[str, list[tuple]] = defaultdict(list)
    for placement, child_id, since, until in rows:
        by_placement[_hex(placement)].append((_moment(since), _moment(until) if until else end,
                                              _hex(child_id)))
    for periods in by_placement.values():
        periods.sort(key=lambda p: p[0])
        active: list[tuple] = []
        for since, until, child_id in periods:
            active = [p for p in active if p[1] >= since]
            for _, _, other in active:
                if other != child_id:
                    _pairs_of(together, {child_id, other}, MISSING_TOGETHER,
                              timezone.localtime(max(since, start)).date())
            active.append((since, until, child_id))


def _moment(value) -> dt.datetime:
    """A stored moment as an aware datetime (SQLite's cursor gives naive UTC)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _child_nodes(children: set[str], *, key: bytes, pseudonymous: bool,
                 child_url) -> dict[str, Node]:
    nodes = {}
    if pseudonymous:
        for child_id in children:
            name = child_pseudonym(child_id, key=key)
            nodes[child_id] = Node(id=name, kind="child", label=name, key=("child", child_id),
                                   kind_label="Child")
        return nodes
    for chunk in _chunks(children):
        for child_id, given, family in Child.objects.filter(pk__in=chunk).values_list(
                "pk", "given_name", "family_name"):
            nodes[child_id.hex] = Node(id=f"child:{child_id}", kind="child",
                                       label=f"{given} {family}", key=("child", child_id.hex),
                                       kind_label="Child", link=(child_url, child_id))
    return nodes


def _entity_nodes(kept: set[NodeKey], entity_ids: dict[NodeKey, str], *, key: bytes,
                  pseudonymous: bool, entity_url) -> dict[NodeKey, Node]:
    nodes: dict[NodeKey, Node] = {}
    kinds = dict(EntityKind.choices)
    place_kinds = dict(PlaceKind.choices)
    entity_keys = [node for node in kept if node[0] == "entity"]
    place_keys = [node for node in kept if node[0] == "place"]
    for chunk in _chunks([node[1] for node in entity_keys]):
        for entity in Entity.objects.filter(pk__in=chunk).select_related("place"):
            node_key = ("entity", entity.pk.hex)
            alias = _pseudonym("e", entity.pk, key) if pseudonymous else ""
            nodes[node_key] = Node(
                id=alias or f"entity:{entity.pk}", kind=entity.kind, key=node_key,
                label=f"{kinds[entity.kind]} {alias}" if pseudonymous else entity.label,
                kind_label=kinds[entity.kind],
                link=None if pseudonymous else (entity_url, entity.pk))
    for chunk in _chunks([node[1] for node in place_keys]):
        for place in Place.objects.filter(pk__in=chunk):
            node_key = ("place", place.pk.hex)
            kind_label = place_kinds.get(place.kind, "Place")
            entity_id = entity_ids.get(node_key)
            alias = _pseudonym("p", place.pk, key) if pseudonymous else ""
            nodes[node_key] = Node(
                id=alias or f"place:{place.pk}", kind="place", key=node_key,
                kind_label=f"Place: {kind_label.lower()}",
                label=f"{kind_label} {alias}" if pseudonymous else str(place),
                link=None if pseudonymous or not entity_id else (entity_url, UUID(entity_id)))
    return nodes


def _communities(network: Network) -> list[Community]:
    graph = nx.Graph()
    graph.add_nodes_from(network.nodes)
    graph.add_edges_from((edge.source, edge.target) for edge in network.edges)
    graph.remove_nodes_from([n for n, d in graph.degree() if d == 0])
    found = []
    for component in nx.connected_components(graph):
        if len(component) < COMMUNITY_MIN_SIZE:
            continue
        if len(component) <= SMALL_COMPONENT:  # too small to split usefully: one community
            found.append(component)
            continue
        found.extend(nx.community.louvain_communities(graph.subgraph(component).copy(),
                                                      seed=COMMUNITY_SEED))
    found = [c for c in found if len(c) >= COMMUNITY_MIN_SIZE]
    found.sort(key=lambda c: (-len(c), min(c)))
    communities = []
    for number, members in enumerate(found, start=1):
        nodes = sorted((network.nodes[m] for m in members),
                       key=lambda n: (n.is_child, not n.hub, -n.degree, n.label))
        for node in nodes:
            node.community = number
        communities.append(Community(number=number, nodes=nodes))
    return communities

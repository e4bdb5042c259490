"""The network page, its CSV and GraphML exports (issue 14, ADR 50). The intelligence roles see
names; the analyst sees pseudonymous ids; partners, the commissioner's office and the force
administrator are refused (403). Every child on the page, and every child in an export, is
written to the access log."""

from __future__ import annotations

import csv
import io
from uuid import UUID

import networkx as nx
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from mispers.core.clock import now
from mispers.core.views import log_shown, require

from .forms import NetworkFilterForm
from .network import CHILDREN_PER_ROW, DRAW_LIMIT, TABLE_LIMIT, Network
from .permissions import can_see_network
from .selectors import hub_rule_for, network_for

network_required = require(can_see_network)
LOG_TYPE = "network_child"


def network_of_request(request) -> tuple[NetworkFilterForm, Network]:
    """Parse the filters (invalid ones fall back to the defaults, with the errors shown) and
    build the network: the one call into the domain."""
    form = NetworkFilterForm(request.GET or None, auto_id="network-%s")
    rule = hub_rule_for(user=request.user)
    # Opens on what the hub rule is about: entities and places linked to at least the policy's
    # number of children (lower it in the filters to see pairs and one-off links).
    filters = form.filters(today=now().date(), window_days=rule.window_days,
                           min_links=rule.children)
    if not form.is_bound:  # the boxes show the period the page opened on
        form.initial = {"start": filters.start, "end": filters.end}
    network = network_for(user=request.user, filters=filters,
                          child_url=_url_of("people:detail"),
                          entity_url=_url_of("intelligence:detail"))
    return form, network


def _url_of(name: str):
    """A page's address for an id, reversed once (a page has thousands of links)."""
    blank = str(UUID(int=0))
    pattern = reverse(name, args=[blank])
    return lambda pk: pattern.replace(blank, str(pk))


def log_children(request, network: Network, node_ids) -> None:
    """One access-log row per child shown (pseudonymous or not: still personal data)."""
    log_shown(request, [(network.child_ids[i], network.child_ids[i]) for i in node_ids
                        if i in network.child_ids], object_type=LOG_TYPE)


def graph_json(network: Network, nodes, edges) -> dict:
    return {
        "nodes": [{"data": {"id": n.id, "label": n.label, "kind": n.kind,
                            "hub": "yes" if n.hub else "no"}} for n in nodes],
        "edges": [{"data": {"id": f"e{i}", "source": e.source, "target": e.target,
                            "relation": e.relation}} for i, e in enumerate(edges)],
    }


@network_required
def network(request):
    form, net = network_of_request(request)
    drawn, drawn_edges = net.drawn(DRAW_LIMIT)
    ranked = net.entities_ranked()
    neighbours = net.neighbours()
    rows = []
    for node in ranked[:TABLE_LIMIT]:
        links = sorted(neighbours.get(node.id, []), key=lambda pair: pair[0].label)
        rows.append({"node": node, "links": links[:CHILDREN_PER_ROW],
                     "more": max(0, len(links) - CHILDREN_PER_ROW)})
    shown = {n.id for n in drawn}
    shown.update(other.id for row in rows for other, _ in row["links"])
    together = net.together()
    shown.update(n.id for a, b, _ in together[:TABLE_LIMIT] for n in (a, b))
    communities = net.communities[:20]
    shown.update(n.id for community in communities for n in community.children[:12])
    log_children(request, net, shown)
    return render(request, "intelligence/network.html", {
        "form": form, "net": net, "filters": net.filters, "rows": rows,
        "more_entities": max(0, len(ranked) - TABLE_LIMIT), "communities": communities,
        "more_communities": max(0, len(net.communities) - len(communities)),
        "graph": graph_json(net, drawn, drawn_edges), "drawn": len(drawn),
        "drawn_edges": len(drawn_edges), "draw_limit": DRAW_LIMIT,
        "children": sum(1 for n in net.nodes.values() if n.is_child),
        "entities": len(ranked), "query": request.GET.urlencode(),
        "together": together[:TABLE_LIMIT],
        "more_together": max(0, len(together) - TABLE_LIMIT)},
        status=400 if form.is_bound and form.errors else 200)


def _filename(net: Network, extension: str) -> str:
    return f"network-{net.filters.start.isoformat()}-to-{net.filters.end.isoformat()}.{extension}"


@network_required
def network_csv(request):
    """One row per edge, each end with its kind, label, hub flag and community."""
    _, net = network_of_request(request)
    log_children(request, net, net.nodes)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["source_id", "source_kind", "source_label", "source_hub",
                     "source_community", "target_id", "target_kind", "target_label",
                     "target_hub", "target_hub_children", "target_community", "relation",
                     "grading", "first", "last", "count"])
    for edge in net.edges:
        a, b = net.nodes[edge.source], net.nodes[edge.target]
        writer.writerow([a.id, a.kind, _cell(a.label), "yes" if a.hub else "no",
                         a.community or "", b.id, b.kind, _cell(b.label),
                         "yes" if b.hub else "no", b.hub_children or "", b.community or "",
                         edge.relation, edge.grading, edge.first or "", edge.last or "",
                         edge.count])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(net, "csv")}"'
    return response


def _cell(text: str) -> str:
    """No spreadsheet formula from a label (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


@network_required
def network_graphml(request):
    _, net = network_of_request(request)
    log_children(request, net, net.nodes)
    out = io.BytesIO()
    nx.write_graphml(net.as_graph(), out, encoding="utf-8")
    response = HttpResponse(out.getvalue(), content_type="application/graphml+xml")
    response["Content-Disposition"] = f'attachment; filename="{_filename(net, "graphml")}"'
    return response

"""GET /api/v1/intelligence/network/ (issue 14, ADR 50): the network as JSON with the page's
filters. The intelligence roles and the analyst (pseudonymous); partners, the commissioner's
office and the force administrator 403. Every child in the answer is written to the access
log."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from mispers.intelligence.forms import NetworkFilterForm
from mispers.intelligence.permissions import can_see_network
from mispers.intelligence.selectors import hub_rule_for, network_for

from ..serializers.network import NetworkQuerySerializer, NetworkSerializer
from .base import ERRORS_LIST, ApiView, error_response


class CanSeeNetwork(BasePermission):
    message = "The network is for police who read intelligence, and analysts, in a force."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and can_see_network(user))


@extend_schema(tags=["intelligence"])
class IntelligenceNetwork(ApiView):
    permission_classes = [CanSeeNetwork]
    serializer_class = NetworkSerializer

    @extend_schema(
        summary="The force's network: children, entities, places, hubs, communities",
        description="The same graph as the network page, with the same filters. A hub is "
                    "linked to at least `hub_children` children in `hub_window_days` (the "
                    "force's policy). Police who read intelligence get names; the analyst "
                    "pseudonymous ids. Every child returned is written to the access log.",
        parameters=[
            OpenApiParameter("start", str, description="First day, YYYY-MM-DD"),
            OpenApiParameter("end", str, description="Last day, YYYY-MM-DD (default today)"),
            OpenApiParameter("kind", str, many=True, description="Link kinds (repeat); "
                             "found_there for the returns' found places; none: all"),
            OpenApiParameter("min_links", int, description="Entities linked to at least this "
                             "many different children (default: the policy's hub count, 3)"),
            OpenApiParameter("evaluation", str, enum=["A", "B", "C"],
                             description="Source evaluation at least (default C: all)"),
            OpenApiParameter("assessment", str, enum=["1", "2", "3", "4", "5"],
                             description="Intelligence assessment at least (default 5: all)"),
            OpenApiParameter("together", str, enum=["yes", "no"],
                             description="Children missing or found together (default yes)"),
        ],
        responses={200: NetworkSerializer, **ERRORS_LIST,
                   403: error_response("Not a police user who reads intelligence, nor an "
                                       "analyst, in a force")},
    )
    def get(self, request):
        query = NetworkQuerySerializer(data=request.query_params)
        if not query.is_valid():
            raise ValidationError(query.errors)
        form = NetworkFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        rule = hub_rule_for(user=request.user)
        net = network_for(user=request.user,
                          filters=form.filters(today=self.now().date(),
                                               window_days=rule.window_days,
                                               min_links=rule.children))
        self.log_reads(object_type="network_child",
                       rows=[(child, child) for child in net.child_ids.values()])
        return Response(NetworkSerializer({
            "start": net.filters.start, "end": net.filters.end, "hub_children": rule.children,
            "hub_window_days": rule.window_days, "pseudonymous": net.pseudonymous,
            "nodes": list(net.nodes.values()), "edges": net.edges,
            "hubs": [hub.id for hub in net.hubs], "hubs_filtered_out": net.hubs_filtered_out,
            "communities": [{"number": c.number, "nodes": [n.id for n in c.nodes]}
                            for c in net.communities]}).data)

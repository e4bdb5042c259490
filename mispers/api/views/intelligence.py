"""GET /api/v1/children/{id}/intelligence-links/ (issue 14, ADR 49): the child's links, police
only (partners and the commissioner's office are refused), each written to the access log."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema

from mispers.core.errors import PermissionDenied
from mispers.intelligence.permissions import can_use_intelligence
from mispers.intelligence.selectors import links_of_child
from mispers.people.selectors import child_for

from ..serializers.intelligence import IntelligenceLinkSerializer
from .base import ERRORS_LIST, ERRORS_READ, ApiView


@extend_schema(tags=["intelligence"])
class ChildIntelligenceLinks(ApiView):
    serializer_class = IntelligenceLinkSerializer

    @extend_schema(
        summary="A child's associates, vehicles, phones, handles and places",
        description="Each link: the entity, what happened, when, the source and the 3x5x2 "
                    "grading. Police only; every link returned is written to the access log.",
        responses={200: IntelligenceLinkSerializer(many=True), **ERRORS_LIST,
                   404: ERRORS_READ[404]},
    )
    def get(self, request, pk):
        if not can_use_intelligence(request.user):
            raise PermissionDenied("Intelligence is for police who read case records")
        child = child_for(user=request.user, child_id=pk)
        links = links_of_child(user=request.user, child=child)
        self.log_read(object_type="child", object_id=child.pk, child_id=child.pk)
        return self.paginated(links, IntelligenceLinkSerializer, object_type="intelligence_link",
                              child_of=lambda link: link.child_id)

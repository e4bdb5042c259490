"""GET /api/v1/children/candidates: is the child already known to the force?"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from mispers.matching.intake import intake_candidates

from ..serializers.candidates import CandidateQuerySerializer, CandidateSerializer
from .base import ERRORS_LIST, ApiView


@extend_schema(tags=["children"])
class ChildCandidates(ApiView):
    """The children of your force most likely to be the one described, best first, each with
    its score and the reasons (which fields agreed, which differed). Each child listed is
    written to the access log."""

    serializer_class = CandidateSerializer

    @extend_schema(
        summary="Find the child at intake: ranked candidates with scores and reasons",
        parameters=[
            OpenApiParameter("given_name", str, description="Given name (or a nickname)"),
            OpenApiParameter("family_name", str, description="Family name. At least one of "
                                                             "the two names is needed"),
            OpenApiParameter("date_of_birth", str, description="YYYY-MM-DD"),
            OpenApiParameter("age", int, description="Age in years, if the date of birth is "
                                                     "not known"),
            OpenApiParameter("address", str, description="Home or placement address"),
            OpenApiParameter("limit", int, description="How many candidates (1 to 20, "
                                                       "default 5)"),
        ],
        responses={200: CandidateSerializer(many=True), **ERRORS_LIST},
    )
    def get(self, request):
        given = CandidateQuerySerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        found = intake_candidates(user=request.user, query=given.query(today=self.now().date()),
                                  limit=given.validated_data["limit"])
        self.log_reads(object_type="child", rows=[(c.child.pk, c.child.pk) for c in found])
        return Response(CandidateSerializer(found, many=True,
                                            context=self.get_serializer_context()).data)

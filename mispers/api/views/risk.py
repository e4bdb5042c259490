"""POST /api/v1/risk/recommend: grade one case without recording anything."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.response import Response

from mispers.risk import policy as risk_policy

from ..errors import error_body
from ..permissions import HasPoliceRole
from ..serializers.risk import CaseResultSerializer, CaseSerializer
from .base import ApiView, error_response

CASE_EXAMPLE = {
    "policy": "national", "age": 15, "looked_after": True, "missing_from": "care",
    "earlier_episodes_90d": 2, "exploitation_marker": False,
    "answers": {"exploitation": "unknown", "mental_health": "yes"},
}


@extend_schema(tags=["risk"])
class RiskRecommend(ApiView):
    """Stateless: the same case always gives the same answer, and nothing is saved or logged
    (a case names no child)."""

    permission_classes = [HasPoliceRole]
    serializer_class = CaseSerializer

    @extend_schema(
        summary="Recommend a grade for one case (nothing is recorded)",
        description="The body is one case in the shape the `mispers grade` command reads; the "
                    "answer is what that command prints for it. Given `chosen` (and "
                    "`rationale`), the officer's choice is evaluated too.",
        request=CaseSerializer,
        responses={
            200: CaseResultSerializer,
            400: error_response("The case is not one the policy understands",
                                "unknown factor 'astrology': the factors are ..."),
            401: error_response("Not signed in"),
            403: error_response("Signed in without a police role in a force"),
        },
        examples=[OpenApiExample("A looked-after 15-year-old", value=CASE_EXAMPLE,
                                 request_only=True)],
    )
    def post(self, request):
        try:
            case = risk_policy.parse_case(request.data)
            result = risk_policy.grade_case(case)
        except risk_policy.PolicyError as exc:
            # The engine's own words, as the command prints them.
            return Response(error_body(str(exc)), status=400)
        return Response(result)

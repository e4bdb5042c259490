"""GET /api/v1/analysis/episodes/: pseudonymised episode rows for analysts (ADR 0018).

No name, date of birth, address, free text or child id: the rows come from a whitelist of coded
columns (mispers.analysis.selectors). Each page is written to the access log, one row per
episode (pseudonymised data is still personal data), with the channel `api`."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError

from mispers.accounts.audit import log_shown
from mispers.analysis.selectors import analysis_episodes, analysis_rows

from ..permissions import CanAnalyse
from ..serializers.analysis import AnalysisEpisodeSerializer, AnalysisQuerySerializer
from .base import ERRORS_LIST, ApiView, error_response

OBJECT_TYPE = "analysis_episode"


@extend_schema(tags=["analysis"])
class AnalysisEpisodeList(ApiView):
    """Your force's episodes, pseudonymised, newest first."""

    permission_classes = [CanAnalyse]
    serializer_class = AnalysisEpisodeSerializer

    @extend_schema(
        summary="Pseudonymised episodes (coded fields only)",
        description="For analysts, coordinators, inspectors and superintendents. `child` is a "
                    "keyed pseudonym: stable for one child, not reversible without police "
                    "records. `?limit=` is capped at 100.",
        parameters=[
            OpenApiParameter("reported_from", str, description="First day reported, YYYY-MM-DD"),
            OpenApiParameter("reported_to", str, description="Last day reported, YYYY-MM-DD"),
        ],
        responses={200: AnalysisEpisodeSerializer(many=True), **ERRORS_LIST,
                   403: error_response("Signed in without an analysis role in a force")},
    )
    def get(self, request):
        query = AnalysisQuerySerializer(data=request.query_params)
        if not query.is_valid():
            raise ValidationError(query.errors)
        page = self.paginate_queryset(analysis_episodes(
            user=request.user, first=query.validated_data.get("reported_from"),
            last=query.validated_data.get("reported_to")))
        log_shown(request, [(row["id"], row["child_id"]) for row in page],
                  object_type=OBJECT_TYPE, now=self.now())
        data = AnalysisEpisodeSerializer(analysis_rows(page), many=True).data
        return self.get_paginated_response(data)

"""GET/POST /api/v1/children/ and GET /api/v1/children/{id}/."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from mispers.casework.children import child_create
from mispers.matching.intake import new_child_check
from mispers.people.selectors import child_for, children_search, children_visible_to

from ..errors import api_fields
from ..serializers.children import (
    ChildNewSerializer,
    ChildSerializer,
    ChildSummarySerializer,
    child_details_from,
)
from .base import ERRORS_LIST, ERRORS_READ, ERRORS_WRITE, ApiView

SEARCH_LIMIT = 200


@extend_schema(tags=["children"])
class ChildList(ApiView):
    """Children recorded by your force. Every child listed is written to the access log."""

    serializer_class = ChildSummarySerializer

    def get_queryset(self):
        text = self.request.query_params.get("q", "").strip()
        if text:
            return children_search(user=self.request.user, text=text, limit=SEARCH_LIMIT)
        return children_visible_to(user=self.request.user).order_by("family_name", "given_name",
                                                                     "id")

    @extend_schema(
        summary="List or search your force's children",
        parameters=[OpenApiParameter("q", str, description="Name search: every word must match "
                                     f"a name or an alias (at most {SEARCH_LIMIT} matches)")],
        responses={200: ChildSummarySerializer(many=True), **ERRORS_LIST},
    )
    def get(self, request):
        return self.paginated(self.get_queryset(), ChildSummarySerializer, object_type="child",
                              child_of=lambda child: child.pk)

    @extend_schema(
        summary="Record a child",
        request=ChildNewSerializer,
        responses={201: ChildSerializer, **ERRORS_WRITE},
    )
    def post(self, request):
        given = ChildNewSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        confirmed = data.pop("confirmed_new_child")
        details = child_details_from(data)
        with api_fields({"confirm_new_child": "confirmed_new_child"}):
            # The same rule as at intake: a child very like a known one is refused until the
            # client confirms it has checked the candidates.
            new_child_check(user=request.user, details=details, today=self.now().date(),
                            confirmed=confirmed)
        child = child_create(actor=request.user, now=self.now(), force=request.user.force,
                             details=details)
        child = child_for(user=request.user, child_id=child.pk)
        return Response(ChildSerializer(child, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


@extend_schema(tags=["children"])
class ChildDetail(ApiView):
    """A child's record: names and aliases, age, description, care status and markers. Each
    read is written to the access log."""

    serializer_class = ChildSerializer

    @extend_schema(summary="One child's record", responses={200: ChildSerializer,
                                                             **ERRORS_READ})
    def get(self, request, pk):
        child = child_for(user=request.user, child_id=pk)
        self.log_read(object_type="child", object_id=child.pk, child_id=child.pk)
        return Response(self.get_serializer(child).data)

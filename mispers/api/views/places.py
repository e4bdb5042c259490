"""GET/POST /api/v1/places/ and GET /api/v1/places/{id}/ (issue 11)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from mispers.places.details import PlaceDetails
from mispers.places.selectors import place_for, place_search, places_visible_to
from mispers.places.services import place_create

from ..serializers.places import PlaceNewSerializer, PlaceSerializer
from .base import ERRORS_LIST, ERRORS_READ, ERRORS_WRITE, ApiView

SEARCH_LIMIT = 50


@extend_schema(tags=["places"])
class PlaceList(ApiView):
    """The force's places. No child is named here, so nothing goes to the access log."""

    serializer_class = PlaceSerializer

    @extend_schema(
        summary="List or search your force's places",
        parameters=[OpenApiParameter("q", str, description="Words of the name, address or "
                                     f"postcode (at most {SEARCH_LIMIT} matches)"),
                    OpenApiParameter("kind", str, description="Only places of this kind")],
        responses={200: PlaceSerializer(many=True), **ERRORS_LIST},
    )
    def get(self, request):
        text = request.query_params.get("q", "").strip()
        kind = request.query_params.get("kind", "")
        if text:
            places = place_search(user=request.user, text=text, kind=kind, limit=SEARCH_LIMIT)
        else:
            places = places_visible_to(user=request.user).order_by("name", "id")
            if kind:
                places = places.filter(kind=kind)
        page = self.paginate_queryset(places)
        return self.get_paginated_response(PlaceSerializer(page, many=True).data)

    @extend_schema(summary="Record a place", request=PlaceNewSerializer,
                   responses={201: PlaceSerializer, **ERRORS_WRITE})
    def post(self, request):
        given = PlaceNewSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        data["provider_id"] = data.pop("provider")
        place = place_create(actor=request.user, now=self.now(), details=PlaceDetails(**data))
        return Response(PlaceSerializer(place).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["places"])
class PlaceDetail(ApiView):
    serializer_class = PlaceSerializer

    @extend_schema(summary="One place", responses={200: PlaceSerializer, **ERRORS_READ})
    def get(self, request, pk):
        return Response(PlaceSerializer(place_for(user=request.user, place_id=pk)).data)

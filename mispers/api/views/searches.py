"""Where to look and searches (issue 14, ADR 52): GET /api/v1/episodes/{id}/where-to-look/,
GET and POST /api/v1/episodes/{id}/searches/. Police only (the roles that read intelligence);
another force's episode is not found; every read is written to the access log."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from mispers.core.errors import NotFound, PermissionDenied
from mispers.places.selectors import place_for
from mispers.searches.permissions import can_use_searches
from mispers.searches.selectors import (
    episode_for_searches,
    searches_of,
    top_kept,
    where_to_look_for,
)
from mispers.searches.services import SearchInvalid, search_record, suggestions_shown_record

from ..serializers.searches import SearchInputSerializer, SearchSerializer, WhereToLookSerializer
from .base import ERRORS_READ, ERRORS_WRITE, ApiView

REFUSED = "Where to look is for police who read case records"


def _episode(view, pk):
    if not can_use_searches(view.request.user):
        raise PermissionDenied(REFUSED)
    episode = episode_for_searches(user=view.request.user, episode_id=pk)
    view.log_read(object_type="episode", object_id=episode.pk, child_id=episode.child_id)
    return episode


def _place(place):
    return {"id": place.id, "name": place.name, "kind": place.kind,
            "latitude": place.latitude, "longitude": place.longitude}


@extend_schema(tags=["searches"])
class EpisodeWhereToLook(ApiView):
    serializer_class = WhereToLookSerializer

    @extend_schema(
        summary="Where to look for the child: ranked places with their reasons",
        description="The places most likely first, each with its reasons and how often it has "
                    "been right for this child before; the base rates of the child's age band. "
                    "Places searched without finding the child move down. For a child found "
                    "already, the list as it stood when found.",
        responses={200: WhereToLookSerializer, **ERRORS_READ})
    def get(self, request, pk):
        episode = _episode(self, pk)
        found = where_to_look_for(user=request.user, episode=episode, now=self.now())
        self.log_reads(object_type="entity", rows=[(e, None) for e in found.entity_ids])
        if episode.is_open:
            suggestions_shown_record(actor=request.user, now=self.now(), episode=episode,
                                     top=top_kept(found.result))
        result = found.result
        data = {
            "episode": episode.pk, "as_of": found.inputs.as_of, "age_band": result.band,
            "population": result.population, "returns_before": result.returns_before,
            "last_seen": _place(result.last_seen) if result.last_seen else None,
            "suggestions": [{
                "rank": s.rank, "place": _place(s.place), "reasons": s.reasons,
                "sources": s.sources, "score": round(s.score, 4),
                "right_before": s.right_before, "returns_before": s.returns_before,
                "right_text": s.right_text, "distance_km": s.distance_km, "ring": s.ring,
                "searches": [{"at": d.at, "result": d.result, "who": d.who}
                             for d in s.searches]} for s in result.suggestions],
            "base_rates": [vars(k) for k in result.kinds],
            "notes": list(result.notes)}
        return Response(WhereToLookSerializer(data).data)


@extend_schema(tags=["searches"])
class EpisodeSearches(ApiView):
    serializer_class = SearchSerializer

    @extend_schema(summary="The searches recorded for the episode, newest first",
                   responses={200: SearchSerializer(many=True), **ERRORS_READ})
    def get(self, request, pk):
        episode = _episode(self, pk)
        return self.paginated(searches_of(user=request.user, episode=episode),
                              SearchSerializer, object_type="search",
                              child_of=lambda _: episode.child_id)

    @extend_schema(
        summary="Record a search",
        description="Where (a place of your force, or `place_note`), when, who and the result: "
                    "not_found, found_child, information or could_not_search. Refused while "
                    "the child is not missing (found, closed, withdrawn): nothing is saved.",
        request=SearchInputSerializer, responses={201: SearchSerializer, **ERRORS_WRITE})
    def post(self, request, pk):
        episode = _episode(self, pk)
        given = SearchInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        place = None
        if data.pop("place", None):
            try:
                place = place_for(user=request.user, place_id=request.data.get("place"))
            except NotFound as error:
                raise SearchInvalid("Place not found: choose it again", field="place") from error
        search = search_record(actor=request.user, now=self.now(), episode=episode,
                               place=place, **data)
        return Response(SearchSerializer(search).data, status=status.HTTP_201_CREATED)

"""GET/POST /api/v1/episodes/ and GET /api/v1/episodes/{id}/."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from mispers.casework.report import episode_report
from mispers.core.errors import NotFound
from mispers.episodes.models import Episode, Grade
from mispers.episodes.selectors import (
    OPEN_STATES,
    episode_for,
    episodes_list_for,
    timeline_for,
)
from mispers.matching.intake import new_child_check
from mispers.people.selectors import child_for
from mispers.places.selectors import place_for
from mispers.returns.selectors import return_of
from mispers.reviews.selectors import (
    actions_of,
    enquiries_of,
    episode_clock,
    handovers_of,
    reviews_of,
)
from mispers.risk.selectors import latest_assessment

from ..errors import api_fields
from ..serializers.children import child_details_from
from ..serializers.episodes import (
    EpisodeDetailSerializer,
    EpisodeInputSerializer,
    EpisodeListSerializer,
)
from .base import ERRORS_LIST, ERRORS_READ, ERRORS_WRITE, ApiView

# `open` is every episode not yet found (reported or open); the other states filter exactly.
STATE_FILTERS = tuple(dict.fromkeys(("open", *Episode.State.values)))
# The services name their inputs; the API body nests some of them.
CHILD_FIELDS = ("given_name", "family_name", "date_of_birth", "estimated_age", "sex",
                "ethnicity", "local_authority", "description", "placement_address")
REPORT_FIELDS = {"reported_by_name": "reported_by.name",
                 "reported_by_relationship": "reported_by.relationship",
                 "reported_by_contact": "reported_by.contact"}


def episode_detail_data(view: ApiView, episode: Episode) -> dict:
    """The episode in full. Each part is read by its selector in one query (or a fixed few), so
    the number of queries does not grow with the episode's history."""
    context = view.get_serializer_context()
    context.update(
        latest_assessment=latest_assessment(episode=episode),
        timeline=list(timeline_for(episode=episode)),
        clock=episode_clock(episode=episode, now=view.now()),
        actions=list(actions_of(episode=episode)),
        enquiries=list(enquiries_of(episode=episode)),
        reviews=list(reviews_of(episode=episode)),
        handovers=list(handovers_of(episode=episode)),
    )
    # Only a found (or since closed) child has a return to show.
    returned = episode.state in (Episode.State.FOUND, Episode.State.CLOSED)
    context["return"] = return_of(episode=episode) if returned else None
    return EpisodeDetailSerializer(episode, context=context).data


@extend_schema(tags=["episodes"])
class EpisodeList(ApiView):
    """Your force's missing episodes. Every episode listed is written to the access log."""

    serializer_class = EpisodeListSerializer

    def get_queryset(self):
        user, params = self.request.user, self.request.query_params
        state, grade = params.get("state", ""), params.get("grade", "")
        if state and state not in STATE_FILTERS:
            raise ValidationError({"state": [f"Unknown state {state!r}: use one of "
                                             f"{', '.join(STATE_FILTERS)}"]})
        if grade and grade not in Grade.values:
            raise ValidationError({"grade": [f"Unknown grade {grade!r}: use one of "
                                             f"{', '.join(Grade.values)}"]})
        states = OPEN_STATES if state == "open" else ([state] if state else None)
        return episodes_list_for(user=user, states=states, grade=grade).order_by(
            "-reported_at", "id")

    @extend_schema(
        summary="List your force's episodes, newest report first",
        parameters=[
            OpenApiParameter("state", str, enum=list(STATE_FILTERS),
                             description="`open` means reported or open (not yet found)"),
            OpenApiParameter("grade", str, enum=list(Grade.values),
                             description="Current national grade"),
        ],
        responses={200: EpisodeListSerializer(many=True), **ERRORS_LIST},
    )
    def get(self, request):
        return self.paginated(self.get_queryset(), EpisodeListSerializer,
                              object_type="episode", child_of=lambda episode: episode.child_id)

    @extend_schema(
        summary="Report a child missing",
        description="Give either `child` (an existing child of your force) or `new_child`. "
                    "Answers 201 with the episode and its reference.",
        request=EpisodeInputSerializer,
        responses={201: EpisodeDetailSerializer, **ERRORS_WRITE},
    )
    def post(self, request):
        given = EpisodeInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        child = new_child = None
        if data["child"] is not None:
            try:
                child = child_for(user=request.user, child_id=data["child"])
            except NotFound:
                raise ValidationError({"child": ["Child not found"]}) from None
        if data["new_child"] is not None:
            new_child = child_details_from(data["new_child"])
        places = {}
        for name in ("missing_from_place", "last_seen_place"):
            if data.get(name) is not None:
                try:
                    places[name] = place_for(user=request.user, place_id=data[name])
                except NotFound:
                    raise ValidationError({name: ["Place not found"]}) from None
        child_prefix = "new_child." if child is None else ""
        fields = {name: f"{child_prefix}{name}" for name in CHILD_FIELDS}
        if child is not None:
            fields["date_of_birth"] = "child"
        fields["confirm_new_child"] = "confirmed_new_child"
        with api_fields({**fields, **REPORT_FIELDS}):
            if new_child is not None and child is None:
                # Refused while a strong candidate exists, until the client confirms.
                new_child_check(user=request.user, details=new_child,
                                today=self.now().date(),
                                confirmed=data["confirmed_new_child"])
            episode = episode_report(actor=request.user, now=self.now(),
                                     details=given.report_details(places), child=child,
                                     new_child=new_child)
        episode = episode_for(user=request.user, episode_id=episode.pk)
        return Response(episode_detail_data(self, episode), status=status.HTTP_201_CREATED)


@extend_schema(tags=["episodes"])
class EpisodeDetail(ApiView):
    """One episode. Each read is written to the access log."""

    serializer_class = EpisodeDetailSerializer

    @extend_schema(
        summary="One episode: the report, grade and reasons, owner, clock, actions, enquiry "
                "log, reviews, handovers, the return and the timeline",
        responses={200: EpisodeDetailSerializer, **ERRORS_READ},
    )
    def get(self, request, pk):
        episode = episode_for(user=request.user, episode_id=pk)
        self.log_read(object_type="episode", object_id=episode.pk, child_id=episode.child_id)
        return Response(episode_detail_data(self, episode))

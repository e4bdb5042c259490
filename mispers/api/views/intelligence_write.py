"""Writing intelligence through the API (issue 14, ADR 49-51): record an entity, link a child to
one, confirm or dismiss a suggestion, merge a duplicate. Each endpoint makes one call: the
casework workflow where a hub may follow (the link, the confirmation, the merge), the service
otherwise. Police only (the intelligence roles); another force's child, entity or suggestion is
not found; a refused value (a phone or plate that cannot be normalised, records of different
kinds) is a 400 naming the field, with nothing saved."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from mispers.casework.intelligence import (
    entity_merge_workflow,
    link_record,
    suggestion_confirm_workflow,
)
from mispers.core.errors import NotFound, PermissionDenied
from mispers.episodes.selectors import episodes_of_child
from mispers.intelligence.permissions import can_use_intelligence
from mispers.intelligence.selectors import entity_for, suggestion_for
from mispers.intelligence.services import LinkInvalid, entity_create, suggestion_dismiss
from mispers.people.selectors import child_for
from mispers.places.selectors import place_for

from ..serializers.intelligence import (
    EntityInputSerializer,
    EntityMergeInputSerializer,
    GradingInputSerializer,
    IntelligenceEntitySerializer,
    LinkedSerializer,
    LinkInputSerializer,
    MergedSerializer,
    SuggestionStateSerializer,
)
from .base import ERRORS_WRITE, ApiView
from .intelligence import ChildIntelligenceLinks

REFUSED = "Intelligence is for police who read case records"


def _allowed(request) -> None:
    if not can_use_intelligence(request.user):
        raise PermissionDenied(REFUSED)


def _alert(alert) -> dict | None:
    if alert is None:
        return None
    return {"hub": alert.hub.key_text, "label": alert.hub.label, "children": alert.hub.size,
            "marker_proposed": alert.proposal is not None, "message": alert.message}


def _linked(view, linked) -> Response:
    link = linked.link
    view.log_read(object_type="intelligence_link", object_id=link.pk, child_id=link.child_id)
    data = LinkedSerializer(link).data
    data["hub_alert"] = _alert(linked.alert)
    return Response(data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["intelligence"])
class IntelligenceEntities(ApiView):
    serializer_class = IntelligenceEntitySerializer

    @extend_schema(
        summary="Record a person of interest, vehicle, phone, handle or place",
        description="A phone is normalised to E.164 and a registration to the UK form; one "
                    "that cannot be is refused (400, `field_errors`). A place has one record: "
                    "asking again returns it.",
        request=EntityInputSerializer, responses={201: IntelligenceEntitySerializer,
                                                  **ERRORS_WRITE})
    def post(self, request):
        _allowed(request)
        given = EntityInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        place_id = data.pop("place", None)
        place = None
        if place_id:
            try:
                place = place_for(user=request.user, place_id=place_id)
            except NotFound as error:
                raise LinkInvalid("No place of your force has this id", field="place") from error
        entity = entity_create(actor=request.user, now=self.now(), place=place, **data)
        return Response(IntelligenceEntitySerializer(entity).data,
                        status=status.HTTP_201_CREATED)


@extend_schema(tags=["intelligence"])
class IntelligenceEntityMerge(ApiView):
    serializer_class = MergedSerializer

    @extend_schema(
        summary="Merge a duplicate record into this one",
        description="Supervisors and the coordinator. Records of different kinds are refused "
                    "(400). The hub check runs for every child whose links moved.",
        request=EntityMergeInputSerializer, responses={201: MergedSerializer, **ERRORS_WRITE})
    def post(self, request, pk):
        _allowed(request)
        keep = entity_for(user=request.user, entity_id=pk)
        given = EntityMergeInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        duplicate = entity_for(user=request.user, entity_id=given.validated_data["duplicate"])
        merge, alerts = entity_merge_workflow(actor=request.user, now=self.now(), keep=keep,
                                              duplicate=duplicate,
                                              reason=given.validated_data["reason"])
        return Response({"merge": merge.pk, "kept": IntelligenceEntitySerializer(keep).data,
                         "moved_links": len(merge.moved_links),
                         "hub_alerts": [_alert(a) for a in alerts]},
                        status=status.HTTP_201_CREATED)


@extend_schema(tags=["intelligence"])
class ChildIntelligenceLinksReadWrite(ChildIntelligenceLinks):
    """GET the child's links (ChildIntelligenceLinks), POST a new one."""

    @extend_schema(
        summary="Link the child to an entity, graded 3x5x2",
        description="What, when, the source and the grading. When the link joins the child to "
                    "an exploitation hub, `hub_alert` says so: the coordinator and the officer "
                    "in the case were told and a marker proposed.",
        request=LinkInputSerializer, responses={201: LinkedSerializer, **ERRORS_WRITE})
    def post(self, request, pk):
        _allowed(request)
        child = child_for(user=request.user, child_id=pk)
        given = LinkInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        entity = entity_for(user=request.user, entity_id=data.pop("entity"))
        episode_id = data.pop("episode", None)
        episode = None
        if episode_id:
            episode = next((e for e in episodes_of_child(user=request.user, child=child)
                            if e.pk == episode_id), None)
            if episode is None:
                raise LinkInvalid("Choose one of this child's episodes", field="episode")
        return _linked(self, link_record(actor=request.user, now=self.now(), child=child,
                                         entity=entity, episode=episode, **data))


@extend_schema(tags=["intelligence"])
class SuggestionConfirm(ApiView):
    serializer_class = LinkedSerializer

    @extend_schema(
        summary="Confirm a suggestion read from free text: the link is made",
        request=GradingInputSerializer, responses={201: LinkedSerializer, **ERRORS_WRITE})
    def post(self, request, pk):
        _allowed(request)
        suggestion = suggestion_for(user=request.user, suggestion_id=pk)
        given = GradingInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        return _linked(self, suggestion_confirm_workflow(
            actor=request.user, now=self.now(), suggestion=suggestion, **given.validated_data))


@extend_schema(tags=["intelligence"])
class SuggestionDismiss(ApiView):
    serializer_class = SuggestionStateSerializer

    @extend_schema(summary="Dismiss a suggestion: nothing is linked, it is not offered again",
                   request=None, responses={200: SuggestionStateSerializer, **ERRORS_WRITE})
    def post(self, request, pk):
        _allowed(request)
        suggestion = suggestion_for(user=request.user, suggestion_id=pk)
        suggestion = suggestion_dismiss(actor=request.user, now=self.now(),
                                        suggestion=suggestion)
        return Response(SuggestionStateSerializer(suggestion).data)

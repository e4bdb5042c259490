"""The merge review queue: suggested duplicate pairs, rejecting a pair, merging two records of
one child and undoing a merge. For the missing persons coordinator and inspectors and above."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.response import Response

from mispers.core.errors import NotFound
from mispers.matching.merge import (
    MergeRefused,
    can_merge,
    child_merge,
    child_unmerge,
    suggestion_reject,
)
from mispers.matching.selectors import (
    children_summaries,
    merge_for,
    merges_visible_to,
    suggestion_for,
    suggestions_pending_for,
)
from mispers.people.selectors import children_visible_to

from ..permissions import IsPoliceUser
from ..serializers.duplicates import (
    ChildMergeSerializer,
    DuplicateSuggestionSerializer,
    MergeInputSerializer,
    ReasonSerializer,
)
from .base import ERRORS_LIST, ERRORS_WRITE, ApiView

NO_SUCH_CHILD = "No child with this id in your force (or the record was merged)"


class CanMerge(IsPoliceUser):
    message = ("Only the missing persons coordinator or an inspector or above may review "
               "duplicate records")

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            self.message = IsPoliceUser.message
            return False
        return can_merge(request.user)


class _MatchingView(ApiView):
    permission_classes = [CanMerge]

    def with_summaries(self, suggestions):
        summaries = children_summaries(ids=[s.child_a_id for s in suggestions]
                                       + [s.child_b_id for s in suggestions])
        for suggestion in suggestions:
            suggestion.child_a = summaries[suggestion.child_a_id]
            suggestion.child_b = summaries[suggestion.child_b_id]
        return suggestions


@extend_schema(tags=["matching"])
class DuplicateSuggestionList(_MatchingView):
    """Pairs of your force's children that the batch job (`mispers dedupe`) found may be the
    same child, waiting for a decision, strongest first. Both children of every pair listed
    are written to the access log."""

    serializer_class = DuplicateSuggestionSerializer

    @extend_schema(summary="List the suggested duplicate pairs waiting for a decision",
                   responses={200: DuplicateSuggestionSerializer(many=True), **ERRORS_LIST})
    def get(self, request):
        page = self.with_summaries(list(self.paginate_queryset(
            suggestions_pending_for(user=request.user))))
        self.log_reads(object_type="child", rows=[
            (child.pk, child.pk) for s in page for child in (s.child_a, s.child_b)])
        data = DuplicateSuggestionSerializer(page, many=True,
                                             context=self.get_serializer_context()).data
        return self.get_paginated_response(data)


@extend_schema(tags=["matching"])
class DuplicateSuggestionReject(_MatchingView):
    serializer_class = DuplicateSuggestionSerializer

    @extend_schema(
        summary="Record that the pair is not the same child (say why)",
        description="The pair is never suggested again. Only a pair waiting for a decision.",
        request=ReasonSerializer, responses={200: DuplicateSuggestionSerializer,
                                             **ERRORS_WRITE},
    )
    def post(self, request, pk):
        found = suggestion_for(user=request.user, suggestion_id=pk)
        given = ReasonSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        suggestion_reject(actor=request.user, now=self.now(), suggestion=found,
                          reason=given.validated_data["reason"])
        (found,) = self.with_summaries([suggestion_for(user=request.user, suggestion_id=pk)])
        return Response(self.get_serializer(found).data)


@extend_schema(tags=["matching"])
class ChildMergeList(_MatchingView):
    """Merges of your force's children's records, newest first, and merging two records."""

    serializer_class = ChildMergeSerializer

    @extend_schema(summary="List the merges of children's records",
                   responses={200: ChildMergeSerializer(many=True), **ERRORS_LIST})
    def get(self, request):
        return self.paginated(merges_visible_to(user=request.user), ChildMergeSerializer,
                              object_type="child_merge", child_of=lambda merge: merge.merged_id)

    @extend_schema(
        summary="Merge two records of the same child",
        description="The `merged` record is retired into the `survivor`: its episodes, markers, "
                    "aliases and every other row that belongs to it move to the survivor, and "
                    "it leaves every list and search. Refused (400, with the field) for a child "
                    "with itself, a child not in your force or already merged, a missing reason, "
                    "or a suggestion about another pair or already decided. Undo it with "
                    "`POST /api/v1/children/merges/{id}/undo`.",
        request=MergeInputSerializer, responses={201: ChildMergeSerializer, **ERRORS_WRITE},
        examples=[OpenApiExample("Merging a suggested pair", request_only=True, value={
            "survivor": "5b6f8f3e-1c1a-4d55-9a57-0a1f3c2b7d10",
            "merged": "9e0d6c4a-7f21-4b3e-8d5c-2e6a1b9f0c33",
            "reason": "Same child: date of birth and placement confirmed with the social "
                      "worker", "suggestion": 12})],
    )
    def post(self, request):
        given = MergeInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        survivor = self._child(data["survivor"], field="survivor")
        merged = self._child(data["merged"], field="merged")
        suggestion = None
        if data["suggestion"] is not None:
            try:
                suggestion = suggestion_for(user=request.user, suggestion_id=data["suggestion"])
            except NotFound:
                raise MergeRefused("No such suggestion in your force",
                                   field="suggestion") from None
        merge = child_merge(actor=request.user, now=self.now(), survivor=survivor,
                            merged=merged, reason=data["reason"], suggestion=suggestion)
        merge = merge_for(user=request.user, merge_id=merge.pk)
        return Response(self.get_serializer(merge).data, status=status.HTTP_201_CREATED)

    def _child(self, child_id, *, field: str):
        # A child of another force is answered exactly as one that does not exist.
        child = children_visible_to(user=self.request.user).filter(pk=child_id).first()
        if child is None:
            raise MergeRefused(NO_SUCH_CHILD, field=field)
        return child


@extend_schema(tags=["matching"])
class ChildMergeUndo(_MatchingView):
    serializer_class = ChildMergeSerializer

    @extend_schema(
        summary="Undo a merge (say why)",
        description="Exactly the rows the merge moved go back to the retired record, which is "
                    "live again; anything added to the survivor since stays there. Refused "
                    "(400) for a merge already undone.",
        request=ReasonSerializer, responses={200: ChildMergeSerializer, **ERRORS_WRITE},
    )
    def post(self, request, pk):
        merge = merge_for(user=request.user, merge_id=pk)
        given = ReasonSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        child_unmerge(actor=request.user, now=self.now(), merge=merge,
                      reason=given.validated_data["reason"])
        return Response(self.get_serializer(merge_for(user=request.user, merge_id=pk)).data)

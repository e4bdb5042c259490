"""Allocating the officer in the case (issue 10, ADR 24)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from mispers.casework.allocate import episode_allocate, may_allocate
from mispers.episodes.selectors import episode_for

from ..serializers.common import UserRefSerializer
from .base import ERRORS_WRITE, ApiView
from .reviews import colleague

ALLOCATE_COLLEAGUE = "Allocate an active police officer of your force"


class AllocateInputSerializer(serializers.Serializer):
    officer = serializers.UUIDField(help_text="The id of an officer in your force")
    note = serializers.CharField(allow_blank=True, default="")


class AllocationSerializer(serializers.Serializer):
    episode = serializers.UUIDField(source="pk")
    owner = UserRefSerializer(allow_null=True)
    team = serializers.CharField(source="team.name", allow_null=True, default=None)
    allocated_at = serializers.DateTimeField(allow_null=True)


@extend_schema(tags=["ownership"])
class EpisodeAllocate(ApiView):
    serializer_class = AllocationSerializer

    @extend_schema(
        summary="Allocate the officer in the case: they own it at once and are told",
        description="Supervisors, inspectors and superintendents of the force. The case joins "
                    "the officer's team; a pending handover is cancelled; the allocation "
                    "deadline of a medium or high case is met.",
        request=AllocateInputSerializer, responses={200: AllocationSerializer, **ERRORS_WRITE},
    )
    def post(self, request, pk):
        episode = episode_for(user=request.user, episode_id=pk)
        if not may_allocate(request.user):
            raise PermissionDenied("Only a supervisor, an inspector or a superintendent may "
                                   "allocate an officer in the case")
        given = AllocateInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        officer = colleague(user=request.user, user_id=given.validated_data["officer"],
                            field="officer", message=ALLOCATE_COLLEAGUE)
        episode = episode_allocate(actor=request.user, now=self.now(), episode=episode,
                                   officer=officer, note=given.validated_data["note"])
        return Response(self.get_serializer(episode).data)

"""The work queues (mine, the supervisor's, the coordinator's) and my notifications.

Queues are work lists: overdue first, each item with `overdue_seconds`. They are computed from the
deadline rows, so they are right even when the sweeper is not running. Each episode a queue shows
is written to the access log once."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from mispers.accounts.roles import MARKER_ROLES, RATIFY_ROLES
from mispers.reviews.escalation import notification_acknowledge
from mispers.reviews.selectors import (
    coordinator_queue,
    my_queue,
    notification_for,
    notifications_for,
    supervisor_queue,
)

from ..permissions import IsPoliceUser
from ..serializers.queues import (
    CoordinatorQueueSerializer,
    MyQueueSerializer,
    SupervisorQueueSerializer,
)
from ..serializers.reviews import NotificationSerializer
from .base import ERRORS_LIST, ERRORS_READ, ERRORS_WRITE, ApiView, error_response

ALL_VALUES = {"": False, "0": False, "false": False, "1": True, "true": True}


class _HasRole(IsPoliceUser):
    """A police user with one of `roles` (403 with `message` otherwise)."""

    roles: frozenset[str] = frozenset()

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            self.message = IsPoliceUser.message
            return False
        return bool(request.user.role_codes & self.roles)


class IsSupervisor(_HasRole):
    roles = RATIFY_ROLES
    message = "The supervisor queue is for sergeants, inspectors and superintendents."


class IsCoordinatorOrSupervisor(_HasRole):
    roles = MARKER_ROLES
    message = "The coordinator queue is for the missing persons coordinator and supervisors."


def _overdue_first(items: list) -> list:
    """Deadline items by due time (so overdue first, most overdue at the top), then id."""
    return sorted(items, key=lambda item: (item.deadline.due_at, item.deadline.pk))


class _Queue(ApiView):
    def log_episodes(self, episodes) -> None:
        seen = {episode.pk: episode.child_id for episode in episodes}
        self.log_reads(object_type="episode", rows=seen.items())


@extend_schema(tags=["queues"])
class MyQueue(_Queue):
    """My work: the episodes I own, actions assigned to me, cases handed to me and my
    unacknowledged notifications."""

    permission_classes = [IsPoliceUser]
    serializer_class = MyQueueSerializer

    @extend_schema(summary="My queue: my episodes, actions (overdue first), handovers to "
                           "accept, notifications",
                   responses={200: MyQueueSerializer, 401: ERRORS_READ[401],
                              403: ERRORS_READ[403]})
    def get(self, request):
        queue = my_queue(user=request.user, now=self.now())
        queue["actions"] = [{"action": action, "overdue_by": late}
                            for action, late in queue["actions"]]
        self.log_episodes([*queue["episodes"], *(row["action"].episode
                                                 for row in queue["actions"]),
                           *(handover.episode for handover in queue["handovers"]),
                           *(note.episode for note in queue["notifications"] if note.episode)])
        return Response(self.get_serializer(queue).data)


@extend_schema(tags=["queues"])
class SupervisorQueue(_Queue):
    """Reviews, handovers and approvals due from my rank or below in my force, downgrades I may
    ratify, and escalations sent to me."""

    permission_classes = [IsSupervisor]
    serializer_class = SupervisorQueueSerializer

    @extend_schema(summary="The supervisor queue: reviews, handovers, approvals (overdue "
                           "first), ratifications, escalations",
                   responses={200: SupervisorQueueSerializer, 401: ERRORS_READ[401],
                              403: error_response(IsSupervisor.message)})
    def get(self, request):
        queue = supervisor_queue(user=request.user, now=self.now())
        self.log_episodes([*(item.episode for name in ("reviews", "handovers", "approvals")
                             for item in queue[name]),
                           *(assessment.episode for assessment in queue["ratifications"]),
                           *(note.episode for note in queue["escalations"] if note.episode)])
        return Response(self.get_serializer(queue).data)


@extend_schema(tags=["queues"])
class CoordinatorQueue(_Queue):
    """Prevention interviews and return-home interviews waiting to be done, overdue first."""

    permission_classes = [IsCoordinatorOrSupervisor]
    serializer_class = CoordinatorQueueSerializer

    @extend_schema(summary="The coordinator queue: prevention and return-home interviews due "
                           "(overdue first)",
                   responses={200: CoordinatorQueueSerializer, 401: ERRORS_READ[401],
                              403: error_response(IsCoordinatorOrSupervisor.message)})
    def get(self, request):
        queue = coordinator_queue(user=request.user, now=self.now())
        for name in queue:
            queue[name] = _overdue_first(queue[name])
        self.log_episodes([item.episode for items in queue.values() for item in items])
        return Response(self.get_serializer(queue).data)


@extend_schema(tags=["notifications"])
class NotificationList(ApiView):
    """Notifications addressed to me (escalations of overdue work), oldest first."""

    permission_classes = [IsPoliceUser]
    serializer_class = NotificationSerializer

    @extend_schema(
        summary="My notifications: unacknowledged, or all with ?all=1",
        parameters=[OpenApiParameter("all", str, enum=["0", "1", "true", "false"],
                                     description="Include acknowledged notifications")],
        responses={200: NotificationSerializer(many=True), **ERRORS_LIST},
    )
    def get(self, request):
        given = request.query_params.get("all", "").lower()
        if given not in ALL_VALUES:
            raise ValidationError({"all": [f"Unknown value {given!r}: use 1 or 0"]})
        notes = notifications_for(user=request.user, include_acknowledged=ALL_VALUES[given])
        return self.paginated(notes, NotificationSerializer, object_type="notification",
                              child_of=lambda note: note.episode.child_id if note.episode_id
                              else None)


@extend_schema(tags=["notifications"])
class NotificationAcknowledge(ApiView):
    serializer_class = NotificationSerializer

    @extend_schema(
        summary="Acknowledge a notification addressed to me",
        description="Acknowledging an escalation records who took it on, and when, on the "
                    "episode's timeline; it stops the escalation climbing another rank.",
        request=None, responses={200: NotificationSerializer, **ERRORS_WRITE},
    )
    def post(self, request, pk):
        notification = notification_for(user=request.user, notification_id=pk)
        notification_acknowledge(actor=request.user, now=self.now(), notification=notification)
        notification = notification_for(user=request.user, notification_id=pk)
        return Response(self.get_serializer(notification).data)

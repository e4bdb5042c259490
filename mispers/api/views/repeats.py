"""Repeat missing: a child's pattern, the force's repeat children with the concentration figure,
strategy meetings (and completing their actions) and trigger plans."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from mispers.people.selectors import child_for
from mispers.repeats.selectors import (
    active_plan_of,
    child_pattern,
    force_concentration,
    meeting_action_for,
    meeting_for,
    meetings_of,
    open_flag_of,
    plan_for,
    repeat_children,
)
from mispers.repeats.services import (
    MeetingActionInput,
    PlanActionInput,
    strategy_action_complete,
    strategy_meeting_record,
    trigger_plan_review,
    trigger_plan_save,
)

from ..serializers.repeats import (
    ChildTriggerPlanSerializer,
    ConcentrationSerializer,
    MeetingActionSerializer,
    MeetingInputSerializer,
    MeetingSerializer,
    PatternSerializer,
    RepeatChildrenPageSerializer,
    RepeatChildSerializer,
    ResultInputSerializer,
    ReviewOnInputSerializer,
    TriggerPlanInputSerializer,
    TriggerPlanSerializer,
)
from .base import ERRORS_LIST, ERRORS_READ, ERRORS_WRITE, ApiView
from .reviews import colleague

PERIODS = (30, 90, 365, 730)


def _child(view: ApiView, pk):
    child = child_for(user=view.request.user, child_id=pk)
    view.log_read(object_type="child", object_id=child.pk, child_id=child.pk)
    return child


@extend_schema(tags=["repeats"])
class ChildPattern(ApiView):
    serializer_class = PatternSerializer

    @extend_schema(
        summary="A child's missing pattern",
        description="Episodes in the last 30, 90 and 365 days and in all, time since the last "
                    "return, where the child went missing from and was last seen, where they "
                    "were found, and the open strategy-meeting flag. Withdrawn reports are not "
                    "counted.",
        responses={200: PatternSerializer, **ERRORS_READ},
    )
    def get(self, request, pk):
        child = _child(self, pk)
        pattern = child_pattern(child=child, now=self.now())
        context = {**self.get_serializer_context(), "child": child,
                   "flag": open_flag_of(child=child)}
        return Response(PatternSerializer(pattern, context=context).data)


@extend_schema(tags=["repeats"])
class RepeatChildren(ApiView):
    serializer_class = RepeatChildSerializer

    @extend_schema(
        summary="Your force's repeat children, ranked, with the concentration figure",
        description="Children with two or more counted episodes, most episodes in the last 90 "
                    "days first (then 365, then in all). `concentration` is the share of the "
                    "force's episodes in the last `days` days that come from its top 5% of "
                    "children. Every child listed is written to the access log.",
        parameters=[OpenApiParameter("days", int, enum=list(PERIODS),
                                     description="Period of the concentration figure "
                                                 "(default 365)")],
        responses={200: RepeatChildrenPageSerializer, **ERRORS_LIST},
    )
    def get(self, request):
        given = request.query_params.get("days", "365")
        if given not in {str(p) for p in PERIODS}:
            raise ValidationError({"days": [f"Unknown period {given!r}: use one of "
                                            f"{', '.join(str(p) for p in PERIODS)}"]})
        page = self.paginate_queryset(repeat_children(user=request.user, now=self.now()))
        self.log_reads(object_type="child", rows=[(c.pk, c.pk) for c in page])
        context = self.get_serializer_context()
        concentration = force_concentration(user=request.user, now=self.now(),
                                            days=int(given))
        body = self.get_paginated_response(
            RepeatChildSerializer(page, many=True, context=context).data).data
        return Response({"concentration": ConcentrationSerializer(concentration).data, **body})


@extend_schema(tags=["repeats"])
class ChildStrategyMeetings(ApiView):
    serializer_class = MeetingSerializer

    @extend_schema(summary="A child's strategy meetings, latest first",
                   responses={200: MeetingSerializer(many=True), **ERRORS_READ})
    def get(self, request, pk):
        child = _child(self, pk)
        page = self.paginate_queryset(meetings_of(user=request.user, child=child))
        return self.get_paginated_response(MeetingSerializer(page, many=True).data)

    @extend_schema(
        summary="Record a strategy meeting",
        description="After it was held (not a future date), with at least two agencies, the "
                    "decisions and the actions agreed, each with an owner (`owner_name` and "
                    "`owner_agency`, or `owner_user`) and `due_on`. Closes the child's open "
                    "strategy-meeting flag. The coordinator and supervisors only. Refused whole: "
                    "nothing is saved if any action is wrong.",
        request=MeetingInputSerializer,
        responses={201: MeetingSerializer, **ERRORS_WRITE},
        examples=[OpenApiExample("Meeting", request_only=True, value={
            "held_on": "2026-03-12", "agencies": ["Police", "Children's social care"],
            "decisions": "Refer to the exploitation panel; review the placement.",
            "actions": [{"description": "Refer to the exploitation panel",
                         "owner_name": "J Smith", "owner_agency": "Children's social care",
                         "due_on": "2026-03-19"}]})],
    )
    def post(self, request, pk):
        child = child_for(user=request.user, child_id=pk)
        given = MeetingInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        actions = [MeetingActionInput(
            description=row["description"], due_on=row["due_on"], owner_name=row["owner_name"],
            owner_agency=row["owner_agency"],
            owner_user=colleague(user=request.user, user_id=row["owner_user"],
                                 field=f"actions.{index}.owner_user",
                                 message="The owner must be someone in your force"))
            for index, row in enumerate(data["actions"])]
        meeting = strategy_meeting_record(actor=request.user, now=self.now(), child=child,
                                          held_on=data["held_on"], agencies=data["agencies"],
                                          decisions=data["decisions"], actions=actions,
                                          trigger_plan_agreed=data["trigger_plan_agreed"])
        meeting = meeting_for(user=request.user, meeting_id=meeting.pk)
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["repeats"])
class StrategyMeetingDetail(ApiView):
    serializer_class = MeetingSerializer

    @extend_schema(summary="One strategy meeting with its actions",
                   responses={200: MeetingSerializer, **ERRORS_READ})
    def get(self, request, pk):
        meeting = meeting_for(user=request.user, meeting_id=pk)
        self.log_read(object_type="strategy_meeting", object_id=meeting.pk,
                      child_id=meeting.child_id)
        return Response(MeetingSerializer(meeting).data)


@extend_schema(tags=["repeats"])
class StrategyMeetingActionComplete(ApiView):
    serializer_class = MeetingActionSerializer

    @extend_schema(
        summary="Record the result of a strategy meeting action",
        description="The coordinator, a supervisor, or the user who owns the action.",
        request=ResultInputSerializer, responses={200: MeetingActionSerializer, **ERRORS_WRITE},
    )
    def post(self, request, pk):
        action = meeting_action_for(user=request.user, action_id=pk)
        given = ResultInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        strategy_action_complete(actor=request.user, now=self.now(), action=action,
                                 result=given.validated_data["result"])
        action = meeting_action_for(user=request.user, action_id=pk)
        return Response(MeetingActionSerializer(action).data)


@extend_schema(tags=["repeats"])
class ChildTriggerPlan(ApiView):
    serializer_class = ChildTriggerPlanSerializer

    def answer(self, child):
        plan = active_plan_of(child=child)
        return Response(ChildTriggerPlanSerializer(
            {"child_id": child.pk, "plan": plan}, context=self.get_serializer_context()).data)

    @extend_schema(summary="A child's trigger plan (null when there is none)",
                   responses={200: ChildTriggerPlanSerializer, **ERRORS_READ})
    def get(self, request, pk):
        return self.answer(_child(self, pk))

    @extend_schema(
        summary="Write the child's trigger plan",
        description="Replaces the active plan with a new version (the old one is kept, "
                    "retired). At least one action; `review_on` after today and within 12 "
                    "months; `due_within_minutes` 1 to 10080 (default 60). At the child's next "
                    "report each action is created on the new episode. The coordinator and "
                    "supervisors only.",
        request=TriggerPlanInputSerializer,
        responses={200: ChildTriggerPlanSerializer, **ERRORS_WRITE},
        examples=[OpenApiExample("Plan", request_only=True, value={
            "review_on": "2026-06-14", "actions": [
                {"kind": "check_address", "description": "Check the boyfriend's flat",
                 "detail": "Flat 2, 10 Example Road, Exeter", "due_within_minutes": 60},
                {"kind": "notify_team", "description": "Tell the exploitation team",
                 "detail": "Exploitation team duty phone", "due_within_minutes": 120}]})],
    )
    def put(self, request, pk):
        child = child_for(user=request.user, child_id=pk)
        given = TriggerPlanInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        trigger_plan_save(actor=request.user, now=self.now(), child=child,
                          review_on=data["review_on"],
                          actions=[PlanActionInput(**row) for row in data["actions"]])
        return self.answer(child)


@extend_schema(tags=["repeats"])
class TriggerPlanReview(ApiView):
    serializer_class = TriggerPlanSerializer

    @extend_schema(
        summary="Record a review of a trigger plan: it stands, with a new review date",
        request=ReviewOnInputSerializer, responses={200: TriggerPlanSerializer, **ERRORS_WRITE},
    )
    def post(self, request, pk):
        plan = plan_for(user=request.user, plan_id=pk)
        given = ReviewOnInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        trigger_plan_review(actor=request.user, now=self.now(), plan=plan,
                            review_on=given.validated_data["review_on"])
        plan = plan_for(user=request.user, plan_id=pk)
        return Response(TriggerPlanSerializer(plan, context=self.get_serializer_context()).data)

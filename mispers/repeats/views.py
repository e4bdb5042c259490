"""Pages for repeat missing: the force's repeat children, strategy meetings (record, read, complete
their actions, close a flag without one) and a child's trigger plan. Every police role reads;
the coordinator and supervisors write. One service call per POST; plain form posts."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.views import (
    add_domain_error,
    log_shown,
    log_view,
    marker_required,
    or_404,
    police_required,
)
from mispers.people.models import Child
from mispers.people.selectors import child_for
from mispers.places.selectors import place_for
from mispers.reviews.selectors import force_colleagues
from mispers.reviews.views import duration_text

from .forms import (
    ACTION_ROWS,
    MeetingActionForm,
    MeetingForm,
    PeriodForm,
    PlanActionForm,
    PlanForm,
    PlanReviewForm,
    ReasonForm,
    ResultForm,
)
from .models import StrategyMeetingFlag
from .permissions import can_plan
from .selectors import (
    active_plan_of,
    child_repeats,
    flag_for,
    flags_in_force,
    force_concentration,
    meeting_action_for,
    meeting_for,
    meetings_in_force,
    meetings_of,
    plan_for,
    repeat_children,
    top_places_of_children,
)
from .services import (
    strategy_action_complete,
    strategy_flag_close,
    strategy_meeting_record,
    trigger_plan_retire,
    trigger_plan_review,
    trigger_plan_save,
)

PAGE_SIZE = 50
# Strategy meetings and trigger plans: the coordinator and supervisors (those who mark records).
planner_required = marker_required


def child_repeats_context(*, request, child: Child) -> dict:
    """The child page's repeat panel (mispers/templates/repeats/_child_panel.html)."""
    current = now()
    data = child_repeats(child=child, now=current)
    pattern = data["pattern"]
    return {"repeats": {
        **data,
        "since_return_text": duration_text(pattern.since_last_return),
        "may_plan": can_plan(request.user),
    }}


def _child(request, pk) -> Child:
    child = or_404(child_for, user=request.user, child_id=pk)
    log_view(request, object_type="child", object_id=child.pk, child_id=child.pk)
    return child


def _put_error(error: DomainError, form, rows: list) -> None:
    """A service refusal beside its input: `actions.<n>.<field>` names a row's field."""
    field = error.field or ""
    if field.startswith("actions.") and field.count(".") == 2:
        _, index, name = field.split(".")
        if index.isdigit() and int(index) < len(rows):
            add_domain_error(rows[int(index)], DomainError(error.message, field=name))
            return
    add_domain_error(form, error)


# --- the force's repeat children --------------------------------------------------------------

@police_required
def repeat_list(request):
    current = now()
    period = PeriodForm(request.GET or None)
    days = (period.cleaned_data.get("days") if period.is_valid() else None) or 365
    place = None
    if request.GET.get("place"):
        place = or_404(place_for, user=request.user, place_id=request.GET["place"])
    page = Paginator(repeat_children(user=request.user, now=current, place=place),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    log_shown(request, page.object_list)  # the page's children (access log)
    return render(request, "repeats/list.html", {
        "page": page, "period": period, "days": days,
        "query": f"days={days}&" + (f"place={place.pk}&" if place else ""), "place": place,
        "top_places": top_places_of_children(child_ids=[c.pk for c in page.object_list]),
        "concentration": force_concentration(user=request.user, now=current, days=days),
        "today": timezone.localdate(current),
    })


# --- strategy meetings ------------------------------------------------------------------------

@police_required
def meetings_overview(request):
    """Open flags (meetings to arrange, oldest first) and the force's recorded meetings."""
    current = now()
    flags = list(flags_in_force(user=request.user))
    page = Paginator(meetings_in_force(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page"))
    log_shown(request, flags, object_type="strategy_flag")
    log_shown(request, page.object_list, object_type="strategy_meeting")
    return render(request, "repeats/meetings_overview.html", {
        "flags": [{"flag": f, "waiting_text": duration_text(current - f.raised_at)}
                  for f in flags],
        "page": page,
        "may_plan": can_plan(request.user),
    })


@police_required
def child_meetings(request, pk):
    child = _child(request, pk)
    return render(request, "repeats/child_meetings.html", {
        "child": child, "meetings": list(meetings_of(user=request.user, child=child)),
        "flags": list(child.strategy_flags.select_related("episode", "meeting")
                      .order_by("-raised_at")),
        "may_plan": can_plan(request.user),
    })


@planner_required
def meeting_new(request, pk):
    child = _child(request, pk)
    colleagues = list(force_colleagues(user=request.user))
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, initial={"held_on": timezone.localdate(now()),
                                      "agencies": ["Police"]})
    rows = [MeetingActionForm(data, prefix=f"action-{n}", colleagues=colleagues)
            for n in range(1, ACTION_ROWS + 1)]
    if data is not None:
        valid = form.is_valid() & all([row.is_valid() for row in rows])
        if valid:
            used = [row for row in rows if not row.is_blank()]
            try:
                meeting = strategy_meeting_record(
                    actor=request.user, now=now(), child=child,
                    held_on=form.cleaned_data["held_on"], agencies=form.agency_names(),
                    decisions=form.cleaned_data["decisions"],
                    actions=[row.to_input() for row in used],
                    trigger_plan_agreed=form.cleaned_data["trigger_plan_agreed"])
            except DomainError as error:
                _put_error(error, form, used)
            else:
                messages.success(request, "Strategy meeting recorded."
                                 + (" The flag for a meeting is closed." if meeting.flags.exists()
                                    else ""))
                return redirect("repeats:meeting", pk=meeting.pk)
    return render(request, "repeats/meeting_form.html", {
        "child": child, "form": form, "rows": rows, "forms": [form, *rows],
        "has_errors": any(f.errors for f in (form, *rows)),
        "flag": child.strategy_flags.filter(status=StrategyMeetingFlag.Status.OPEN)
        .select_related("episode").first(),
    })


@police_required
def meeting_detail(request, pk):
    meeting = or_404(meeting_for, user=request.user, meeting_id=pk)
    log_view(request, object_type="strategy_meeting", object_id=meeting.pk,
             child_id=meeting.child_id)
    may_plan = can_plan(request.user)
    actions = [{"action": a, "overdue": not a.is_done and a.due_on < timezone.localdate(now()),
                "may_complete": not a.is_done and (may_plan
                                                   or a.owner_user_id == request.user.pk)}
               for a in meeting.actions.all()]
    return render(request, "repeats/meeting_detail.html", {
        "meeting": meeting, "child": meeting.child, "actions": actions,
        "flags": list(meeting.flags.select_related("episode")),
    })


def _simple_form(request, *, form, save, success: str, done_url: str, page: dict):
    """The flow every one-step form here shares: on a valid post call `save(cleaned_data)` (a
    service), say `success` and go to `done_url`; otherwise show the form (with any refusal as
    a form error) on the simple form page with `page` as its context."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, success)
            return redirect(done_url)
    return render(request, "repeats/simple_form.html", {"form": form, **page})


@police_required
def meeting_action_complete(request, pk):
    item = or_404(meeting_action_for, user=request.user, action_id=pk)
    meeting = item.meeting
    log_view(request, object_type="strategy_meeting", object_id=meeting.pk,
             child_id=meeting.child_id)
    return _simple_form(request, form=ResultForm(request.POST or None), save=lambda data: (
        strategy_action_complete(actor=request.user, now=now(), action=item,
                                 result=data["result"])),
        success="Action recorded as done.",
        done_url=reverse("repeats:meeting", args=[meeting.pk]) + "#actions", page={
        "child": meeting.child, "heading": "Record the result of the action",
        "caption": item.description, "button": "Mark as done",
        "back": reverse("repeats:meeting", args=[meeting.pk]),
        "action": reverse("repeats:meeting_action_complete", args=[item.pk]),
    })


@planner_required
def flag_close(request, pk):
    flag = or_404(flag_for, user=request.user, flag_id=pk)
    log_view(request, object_type="child", object_id=flag.child_id, child_id=flag.child_id)
    return _simple_form(request, form=ReasonForm(request.POST or None), save=lambda data: (
        strategy_flag_close(actor=request.user, now=now(), flag=flag, reason=data["reason"])),
        success="Flag closed without a meeting.",
        done_url=reverse("repeats:child_meetings", args=[flag.child_id]), page={
        "child": flag.child, "heading": "Close the flag without a meeting",
        "caption": f"{flag.episode_count} episodes in {flag.window_days} days",
        "intro": "Say why no strategy meeting is needed: for example, the report that met "
                 "the threshold was made in error, or a meeting about the child is already "
                 "arranged by another agency.",
        "button": "Close the flag", "back": reverse("repeats:child_meetings",
                                                    args=[flag.child_id]),
        "action": reverse("repeats:flag_close", args=[flag.pk]),
    })


# --- trigger plans ----------------------------------------------------------------------------

@police_required
def trigger_plan(request, pk):
    """The child's trigger plan; the coordinator and supervisors write a new version here."""
    child = _child(request, pk)
    plan = active_plan_of(child=child)
    may_plan = can_plan(request.user)
    today = timezone.localdate(now())
    data = request.POST if request.method == "POST" and may_plan else None
    if request.method == "POST" and not may_plan:
        return redirect("repeats:trigger_plan", pk=child.pk)
    current_actions = list(plan.actions.all()) if plan else []
    form = PlanForm(data, initial={"review_on": plan.review_on if plan and not plan.is_stale(
        today) else today + dt.timedelta(days=90)})
    rows = [PlanActionForm(data, prefix=f"action-{n}", initial=_plan_row(current_actions, n))
            for n in range(1, ACTION_ROWS + 1)]
    if data is not None:
        valid = form.is_valid() & all([row.is_valid() for row in rows])
        if valid:
            used = [row for row in rows if not row.is_blank()]
            try:
                trigger_plan_save(actor=request.user, now=now(), child=child,
                                  review_on=form.cleaned_data["review_on"],
                                  actions=[row.to_input() for row in used])
            except DomainError as error:
                _put_error(error, form, used)
            else:
                messages.success(request, "Trigger plan saved. Its actions will be created "
                                          f"when {child.given_name} is next reported missing.")
                return redirect("people:detail", pk=child.pk)
    return render(request, "repeats/trigger_plan.html", {
        "child": child, "plan": plan, "plan_actions": current_actions,
        "stale": bool(plan and plan.is_stale(today)), "may_plan": may_plan,
        "form": form, "rows": rows, "forms": [form, *rows],
        "has_errors": any(f.errors for f in (form, *rows)),
    })


def _plan_row(actions, number: int) -> dict:
    if number > len(actions):
        return {"due_within_minutes": 60}
    item = actions[number - 1]
    return {"kind": item.kind, "description": item.description, "detail": item.detail,
            "due_within_minutes": item.due_within_minutes}


@planner_required
def plan_review(request, pk):
    plan = or_404(plan_for, user=request.user, plan_id=pk)
    log_view(request, object_type="child", object_id=plan.child_id, child_id=plan.child_id)
    return _simple_form(request, form=PlanReviewForm(request.POST or None), save=lambda data: (
        trigger_plan_review(actor=request.user, now=now(), plan=plan,
                            review_on=data["review_on"])),
        success="Trigger plan reviewed: it stands as it is.",
        done_url=reverse("repeats:trigger_plan", args=[plan.child_id]), page={
        "child": plan.child, "heading": "Review the trigger plan",
        "intro": "The plan was looked at and still stands. To change its actions, save a new "
                 "version instead.",
        "button": "Record the review",
        "back": reverse("repeats:trigger_plan", args=[plan.child_id]),
        "action": reverse("repeats:plan_review", args=[plan.pk]),
    })


@planner_required
def plan_retire(request, pk):
    plan = or_404(plan_for, user=request.user, plan_id=pk)
    log_view(request, object_type="child", object_id=plan.child_id, child_id=plan.child_id)
    return _simple_form(request, form=ReasonForm(request.POST or None), save=lambda data: (
        trigger_plan_retire(actor=request.user, now=now(), plan=plan, reason=data["reason"])),
        success="Trigger plan retired: nothing will be created at the child's next report.",
        done_url=reverse("repeats:trigger_plan", args=[plan.child_id]), page={
        "child": plan.child, "heading": "Retire the trigger plan",
        "intro": "Nothing will be created at the child's next report.",
        "button": "Retire the plan", "button_class": "govuk-button--warning",
        "back": reverse("repeats:trigger_plan", args=[plan.child_id]),
        "action": reverse("repeats:plan_retire", args=[plan.pk]),
    })

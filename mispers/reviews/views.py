"""Pages for keeping every open case moving: the queues, reviews, handovers, actions, the enquiry
log and acknowledging escalations. Each page calls one service per request and works as a plain
form post (POST-redirect-GET with a success message)."""

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone

from mispers.casework.enquiries import enquiry_workflow
from mispers.casework.review import review_complete
from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.errors import PermissionDenied as DomainPermissionDenied
from mispers.core.views import (
    add_domain_error,
    log_shown,
    log_view,
    next_url,
    or_404,
    police_required,
    ratifier_required,
    reporter_required,
)
from mispers.episodes.selectors import episode_for
from mispers.risk.selectors import policy_for_force

from .escalation import (
    AcknowledgementRefused,
    notification_acknowledge,
    notifications_acknowledge,
)
from .forms import (
    ActionAssignForm,
    ActionCancelForm,
    ActionCompleteForm,
    ActionForm,
    EnquiryForm,
    HandoverDecisionForm,
    HandoverForm,
    ReviewForm,
)
from .models import Deadline, Handover
from .selectors import (
    COORDINATOR_KINDS,
    SUPERVISOR_KINDS,
    QueueFilters,
    action_for,
    episode_clock,
    force_colleagues,
    handover_for,
    my_queue,
    notification_for,
    notifications_for,
    reviews_of,
    supervisor_queue,
)
from .services import (
    action_assign,
    action_cancel,
    action_complete,
    action_create,
    handover_accept,
    handover_decline,
    handover_request,
)

# --- presentation helpers (shared with the returns pages) -------------------------------------


def duration_text(delta: dt.timedelta | None) -> str:
    """2 h 15 min; 45 min; under 1 min; from a day up, 3 d 4 h."""
    if delta is None:
        return ""
    minutes = int(abs(delta.total_seconds()) // 60)
    if minutes < 1:
        return "under 1 min"
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


# A queue shows at most this many rows of each kind (the most overdue), and says how many more.
QUEUE_LIMIT = 100


@dataclass(frozen=True)
class Row:
    """One line of a queue or clock: what is due, for which episode, and how late or how soon."""

    deadline: Deadline
    overdue_by: dt.timedelta | None
    overdue_text: str
    due_in_text: str

    @property
    def episode(self):
        return self.deadline.episode

    @property
    def is_overdue(self) -> bool:
        return self.overdue_by is not None


def rows(items, current: dt.datetime, limit: int | None = None) -> list[Row]:
    """Queue items (already overdue first, most overdue at the top) with their times in words."""
    return [Row(item.deadline, item.overdue_by, duration_text(item.overdue_by),
                "" if item.overdue_by else duration_text(item.deadline.due_at - current))
            for item in items[:limit]]


def section(items, current: dt.datetime, total: int | None = None) -> dict:
    """One queue section: the first QUEUE_LIMIT rows and how many there are in all."""
    return {"rows": rows(items, current, QUEUE_LIMIT),
            "total": len(items) if total is None else total}


def episode_url(episode, anchor: str = "") -> str:
    return reverse("episodes:detail", args=[episode.pk]) + (f"#{anchor}" if anchor else "")


def _labels(user) -> dict:
    return policy_for_force(user.force).labels


# --- queues -----------------------------------------------------------------------------------

GRADE_FILTER_CHOICES = [("high", "High"), ("medium", "Medium"), ("low", "Low"),
                        ("no_apparent_risk", "No apparent risk"), ("none", "Not graded")]
KIND_FILTER_KINDS = (*SUPERVISOR_KINDS, *COORDINATOR_KINDS, Deadline.Kind.ACTION,
                     Deadline.Kind.SUPERINTENDENT_INFORMED, Deadline.Kind.NATIONAL_UNIT)


def _int_or_none(value: str, allowed: set) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number in allowed else None


def queue_filters(request) -> tuple[QueueFilters, dict]:
    """The queue filters from the page's GET parameters (unknown values are ignored), and what
    the filter form shows: the force's teams and areas, the grades and the kinds."""
    from mispers.accounts.models import Area, Team

    labels = _labels(request.user)
    teams = list(Team.objects.filter(force_id=request.user.force_id).order_by("name")
                 .values_list("pk", "name"))
    areas = list(Area.objects.filter(force_id=request.user.force_id).order_by("name")
                 .values_list("pk", "name"))
    kinds = [(kind, Deadline.Kind(kind).label) for kind in KIND_FILTER_KINDS]
    grades = [(value, labels.get(value, name) if value != "none" else name)
              for value, name in GRADE_FILTER_CHOICES]
    params = request.GET
    grade = params.get("grade", "")
    kind = params.get("kind", "")
    filters = QueueFilters(
        grade=grade if grade in dict(GRADE_FILTER_CHOICES) else "",
        team_id=_int_or_none(params.get("team"), {pk for pk, _ in teams}),
        area_id=_int_or_none(params.get("area"), {pk for pk, _ in areas}),
        kind=kind if kind in dict(kinds) else "")
    chosen = []
    for name, value, options in (("grade", filters.grade, grades),
                                 ("team", filters.team_id, teams),
                                 ("area", filters.area_id, areas),
                                 ("kind", filters.kind, kinds)):
        if value:
            chosen.append({"name": name, "label": dict(options)[value]})
    return filters, {"grades": grades, "teams": teams, "areas": areas, "kinds": kinds,
                     "chosen": chosen, "values": {"grade": filters.grade,
                                                  "team": filters.team_id,
                                                  "area": filters.area_id,
                                                  "kind": filters.kind}}


@police_required
def mine(request):
    """My work: escalations to acknowledge, handovers to accept, my actions, episodes I own;
    riskiest first, then the most overdue."""
    current = now()
    filters, filter_form = queue_filters(request)
    queue = my_queue(user=request.user, now=current, filters=filters)
    actions = [{"action": action, "overdue_by": late, "overdue_text": duration_text(late),
                "due_in_text": "" if late else duration_text(action.due_at - current)}
               for action, late in queue["actions"]]
    handovers = [{"handover": h, "waiting_text": duration_text(current - h.requested_at)}
                 for h in queue["handovers"]]
    groups = _group_rows(queue["notification_groups"])
    log_shown(request, [  # every episode the page shows (access log)
        *queue["episodes"], *(row["action"].episode for row in actions[:QUEUE_LIMIT]),
        *(row["handover"].episode for row in handovers),
        *_group_episodes(groups[:QUEUE_LIMIT])])
    return render(request, "reviews/mine.html", {
        "episodes": queue["episodes"], "actions": actions[:QUEUE_LIMIT],
        "actions_total": len(actions), "handovers": handovers,
        "notifications": groups[:QUEUE_LIMIT],
        "notifications_total": queue["notification_groups_total"],
        "labels": _labels(request.user), "filters": filter_form,
    })


def _group_episodes(groups: list[dict]) -> list:
    return [row["group"].episode for row in groups if row["group"].episode is not None]


def _group_rows(groups) -> list[dict]:
    """Escalation groups (one per episode) with how overdue each named thing is, in words."""
    return [{"group": group, "overdue_by": group.overdue_by,
             "overdue_text": duration_text(group.overdue_by),
             "things": [{"name": thing.name, "due_at": thing.due_at, "escalated": thing.escalated,
                         "overdue_text": duration_text(thing.overdue_by)}
                        for thing in group.things]}
            for group in groups]


# The Supervision page shows the most urgent few of each list, so the whole of a sergeant's work
# fits on a screen or two (issue 10: the page had grown to 15,800 px); each list then pages on
# its own at SECTION_PAGE rows.
SUPERVISION_FIRST = 25
SECTION_PAGE = 50
SUPERVISION_SECTIONS = {"ratifications": "Grades waiting for ratification",
                        "escalations": "Escalations to acknowledge",
                        "reviews": "Reviews due", "handovers": "Handovers not yet accepted",
                        "approvals": "Waivers and markers to decide"}


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _query_without(request, *names: str) -> str:
    """The request's query string without `names`, ready for "&" and more (pagination links)."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""


@ratifier_required
def supervision(request):
    """Ratifications, escalations (one row per episode), reviews, handovers and approvals; each
    riskiest first, then the most overdue; filtered by grade, team, area and kind. The page shows
    the most urgent of each; `?section=…` shows one list, page by page."""
    current = now()
    filters, filter_form = queue_filters(request)
    only = request.GET.get("section", "")
    if only and only not in SUPERVISION_SECTIONS:
        raise Http404("No such list on the Supervision page")
    size = SECTION_PAGE if only else SUPERVISION_FIRST
    number = _page_number(request) if only else 1
    queue = supervisor_queue(user=request.user, now=current, filters=filters, flat=False,
                             limit=size, offset=(number - 1) * size)
    totals = queue["totals"]
    if only and number > 1 and (number - 1) * size >= totals[only]:
        # The list shrank (rows acknowledged or done since): its last page, not an empty one.
        last = max(1, -(-totals[only] // size))
        return redirect(f"{request.path}?{_query_without(request, 'page')}page={last}")
    shown = {name: (not only or name == only) for name in SUPERVISION_SECTIONS}
    escalations = _group_rows(queue["escalation_groups"]) if shown["escalations"] else []
    sections = {kind: section(queue[kind] if shown[kind] else [], current, totals[kind])
                for kind in ("reviews", "handovers", "approvals")}
    ratifications = queue["ratifications"] if shown["ratifications"] else []
    log_shown(request, [  # every episode the page shows (access log)
        *_group_episodes(escalations),
        *(row.episode for part in sections.values() for row in part["rows"]),
        *(assessment.episode for assessment in ratifications)])
    base = _query_without(request, "section", "page")
    return render(request, "reviews/supervision.html", {
        "escalations": escalations, "escalations_total": totals["escalations"],
        **sections,
        "ratifications": ratifications, "ratifications_total": totals["ratifications"],
        "labels": _labels(request.user), "filters": filter_form,
        "only": only, "only_caption": SUPERVISION_SECTIONS.get(only, ""), "shown": shown,
        "filter_query": base,
        "page": Paginator(range(totals[only]), size).get_page(number) if only else None,
        "page_query": f"{base}section={only}&",
    })


# --- reviews ----------------------------------------------------------------------------------

def _episode_page(request, pk):
    episode = or_404(episode_for, user=request.user, episode_id=pk)
    log_view(request, object_type="episode", object_id=episode.pk, child_id=episode.child_id)
    return episode


@ratifier_required
def review(request, pk):
    episode = _episode_page(request, pk)
    current = now()
    form = ReviewForm(request.POST or None, initial={"expected_version": episode.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = review_complete(actor=request.user, now=current, episode=episode,
                                   notes=data["notes"], next_actions=data["next_actions"],
                                   expected_version=data["expected_version"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Review recorded. The next review is due "
                                      f"{_local(done.next_review_due_at)}.")
            return redirect(episode_url(episode, "clock"))
    clock = episode_clock(episode=episode, now=current)
    return render(request, "reviews/review.html", {
        "episode": episode, "child": episode.child, "form": form,
        "next_review": clock["next_review"],
        "overdue_text": duration_text(clock["review_overdue_by"]),
        "reviews": list(reviews_of(episode=episode)[:3]),
        "labels": policy_for_force(episode.force).labels,
    })


def _local(when: dt.datetime) -> str:
    return dateformat.format(timezone.localtime(when), "j M Y, H:i")


# --- ownership --------------------------------------------------------------------------------

@police_required
def handover(request, pk):
    """Hand the case to someone: theirs only once they accept it."""
    episode = _episode_page(request, pk)
    from .forms import team_choice, team_members  # issue 10: choose a team first

    team_form, team = team_choice(request, force_id=episode.force_id)
    colleagues = team_members(list(force_colleagues(user=request.user)), team)
    form = HandoverForm(request.POST or None, colleagues=colleagues)
    if request.method == "POST" and form.is_valid():
        to_user = form.cleaned_data["to_user"]
        try:
            handover_request(actor=request.user, now=now(), episode=episode, to_user=to_user,
                             note=form.cleaned_data["note"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Handover to {to_user} requested. The case stays with "
                                      f"{episode.owner or 'no one'} until they accept it.")
            return redirect(episode_url(episode, "owner"))
    return render(request, "reviews/handover_request.html", {
        "episode": episode, "child": episode.child, "form": form, "team_form": team_form,
        "heading": "Hand the case over", "button": "Request the handover",
        "action": reverse("reviews:handover", args=[episode.pk])
        + f"?team={team.pk if team else ''}",
        "intro": f"Owner now: {episode.owner or 'no one'}. The case is not theirs until they "
                 "accept it; a handover not accepted in time escalates.",
    })


@police_required
def handover_decide(request, pk):
    """Accept or decline a case handed to you."""
    item = or_404(handover_for, user=request.user, handover_id=pk)
    episode = item.episode
    log_view(request, object_type="episode", object_id=episode.pk, child_id=episode.child_id)
    form = HandoverDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = request.POST.get("decision")
        services = {"accept": handover_accept, "decline": handover_decline}
        if decision not in services:
            form.add_error(None, "Choose to accept or decline the case")
        else:
            extra = {"note": form.cleaned_data["note"]} if decision == "decline" else {}
            try:
                services[decision](actor=request.user, now=now(), handover=item, **extra)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"You now own {episode.reference}."
                                 if decision == "accept" else "Handover declined.")
                return redirect(episode_url(episode, "owner"))
    return render(request, "reviews/handover.html", {
        "handover": item, "episode": episode, "form": form,
        "addressed_to_me": item.to_user_id == request.user.pk,
        "pending": item.status == Handover.Status.PENDING,
    })


# --- actions ----------------------------------------------------------------------------------

@reporter_required
def action_new(request, pk):
    episode = _episode_page(request, pk)
    colleagues = list(force_colleagues(user=request.user))
    form = ActionForm(request.POST or None, colleagues=colleagues)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action_create(actor=request.user, now=now(), episode=episode, code="manual",
                          title=data["title"], due_at=data["due_at"],
                          assigned_to=data["assigned_to"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Action added.")
            return redirect(episode_url(episode, "actions"))
    return render(request, "reviews/form_page.html", {
        "episode": episode, "child": episode.child, "form": form, "heading": "Add an action",
        "button": "Add the action", "action": reverse("reviews:action_new", args=[episode.pk]),
    })


@reporter_required
def action_assign_page(request, pk):
    item = or_404(action_for, user=request.user, action_id=pk)
    episode = item.episode
    log_view(request, object_type="episode", object_id=episode.pk, child_id=episode.child_id)
    form = ActionAssignForm(request.POST or None,
                            colleagues=list(force_colleagues(user=request.user)))
    if request.method == "POST" and form.is_valid():
        try:
            action_assign(actor=request.user, now=now(), action=item,
                          assigned_to=form.cleaned_data["assigned_to"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{item.title}: assigned to "
                                      f"{form.cleaned_data['assigned_to']}.")
            return redirect(next_url(request, episode_url(episode, "actions")))
    return render(request, "reviews/form_page.html", {
        "episode": episode, "child": episode.child, "form": form,
        "heading": "Assign the action", "caption_extra": item.title, "button": "Assign",
        "action": reverse("reviews:action_assign", args=[item.pk]),
    })


@reporter_required
def action_complete_page(request, pk):
    item = or_404(action_for, user=request.user, action_id=pk)
    episode = item.episode
    log_view(request, object_type="episode", object_id=episode.pk, child_id=episode.child_id)
    form = ActionCompleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action_complete(actor=request.user, now=now(), action=item,
                            result=form.cleaned_data["result"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{item.title}: done.")
            return redirect(next_url(request, episode_url(episode, "actions")))
    return render(request, "reviews/form_page.html", {
        "episode": episode, "child": episode.child, "form": form,
        "heading": "Record the result of the action", "caption_extra": item.title,
        "button": "Mark as done", "action": reverse("reviews:action_complete", args=[item.pk]),
    })


@ratifier_required
def action_cancel_page(request, pk):
    """A supervisor cancels an open action with a reason (issue 10: closure waits for every
    action to be done or cancelled)."""
    item = or_404(action_for, user=request.user, action_id=pk)
    episode = item.episode
    log_view(request, object_type="episode", object_id=episode.pk, child_id=episode.child_id)
    form = ActionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action_cancel(actor=request.user, now=now(), action=item,
                          reason=form.cleaned_data["reason"])
        except DomainPermissionDenied as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{item.title}: cancelled.")
            return redirect(next_url(request, episode_url(episode, "actions")))
    return render(request, "reviews/form_page.html", {
        "episode": episode, "child": episode.child, "form": form,
        "heading": "Cancel the action", "caption_extra": item.title,
        "button": "Cancel the action",
        "action": reverse("reviews:action_cancel", args=[item.pk]),
    })


# --- the enquiry log --------------------------------------------------------------------------

@reporter_required
def enquiry(request, pk):
    episode = _episode_page(request, pk)
    form = EnquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enquiry_workflow(actor=request.user, now=now(), episode=episode, **data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Added to the enquiry log." + (
                " A re-assessment of the risk is now due." if data["prompts_reassessment"]
                else ""))
            return redirect(episode_url(episode, "enquiries"))
    return render(request, "reviews/form_page.html", {
        "episode": episode, "child": episode.child, "form": form,
        "heading": "Add to the enquiry log", "button": "Add to the log",
        "action": reverse("reviews:enquiry", args=[episode.pk]),
        "intro": "Updates, calls, partners' news and sightings: when, where and who saw.",
    })


# --- escalations ------------------------------------------------------------------------------

@police_required
def acknowledge(request, pk):
    """Acknowledge a notification (an escalation) addressed to you."""
    notification = or_404(notification_for, user=request.user, notification_id=pk)
    episode = notification.episode
    if episode is not None:
        log_view(request, object_type="episode", object_id=episode.pk,
                 child_id=episode.child_id)
    error = None
    if request.method == "POST":
        try:
            notification_acknowledge(actor=request.user, now=now(), notification=notification)
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(request, "Escalation acknowledged. Now act on it."
                             if notification.escalation_id else "Acknowledged.")
            return redirect(next_url(request, reverse("reviews:mine")))
    return render(request, "reviews/acknowledge.html", {
        "notification": notification, "episode": episode, "error": error,
        "next": next_url(request, ""),
    })


@police_required
def acknowledge_many(request):
    """Acknowledge the selected escalations (each row may hold several) with one note. A row's
    own button acknowledges just that row. POST only; back to the queue it came from."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    back = next_url(request, reverse("reviews:mine"))
    chosen = request.POST.get("row") or ",".join(request.POST.getlist("notifications"))
    ids = []
    for part in chosen.split(","):
        if part.strip().isdigit():
            ids.append(int(part))
    notifications = notifications_for(user=request.user, include_acknowledged=True).filter(
        pk__in=ids)
    found = list(notifications)
    for notification in found:
        if notification.episode_id:
            log_view(request, object_type="episode", object_id=notification.episode_id,
                     child_id=notification.episode.child_id)
    try:
        if len(found) != len(set(ids)):
            raise AcknowledgementRefused(
                "Some of these notifications are addressed to someone else")
        acknowledged = notifications_acknowledge(actor=request.user, now=now(),
                                                 notifications=found,
                                                 note=request.POST.get("note", ""))
    except DomainError as refused:
        messages.error(request, f"Nothing was acknowledged: {refused.message}")
        return redirect(back)
    count, episodes = len(acknowledged), len({n.episode_id for n in acknowledged})
    messages.success(request, f"{count} escalation{'s' if count != 1 else ''} acknowledged on "
                              f"{episodes} episode{'s' if episodes != 1 else ''}, with your "
                              "note. Now act on them.")
    return redirect(back)

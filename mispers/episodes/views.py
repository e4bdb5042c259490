from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from mispers.accounts.roles import REPORT_ROLES
from mispers.casework.report import episode_report
from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.views import (
    add_domain_error,
    log_shown,
    log_view,
    or_404,
    police_required,
    reporter_required,
)
from mispers.matching.intake import (
    IntakeQueryInvalid,
    SameChildRisk,
    intake_candidates,
    new_child_check,
    strong_candidates,
)
from mispers.matching.intake_forms import ConfirmNewChildForm, FindChildForm, new_child_initial
from mispers.partners.selectors import photo_profiles_of_children
from mispers.partners.views.panels import episode_partner_source
from mispers.people.selectors import active_markers_of_children, child_for, children_search
from mispers.people.services import ChildDetails
from mispers.places.picker import PlacePickerForm
from mispers.returns.permissions import can_close
from mispers.returns.selectors import return_of
from mispers.returns.views import INDICATOR_NAMES, INTERVIEWER_ROLES
from mispers.reviews.forms import (
    ActionAssignForm,
    ActionCancelForm,
    ActionCompleteForm,
    EnquiryForm,
    HandoverForm,
)
from mispers.reviews.models import Deadline, Handover
from mispers.reviews.permissions import can_cancel_action, can_hand_over
from mispers.reviews.selectors import (
    actions_of,
    enquiries_of,
    episode_clock,
    force_colleagues,
    handovers_of,
    notifications_for,
    reviews_of,
)
from mispers.reviews.views import duration_text, rows
from mispers.risk.selectors import assessments_of
from mispers.risk.services import policy_for_force

from .forms import ChildSearchForm, NewChildForm, ReportForm
from .models import Grade
from .selectors import episode_for, histories_of_children, open_episodes_for, timeline_for
from .services import ReportDetails

PAGE_SIZE = 50


@police_required
def open_list(request):
    """Open episodes, riskiest first, then the most urgent: grade, time missing, next review due,
    officer in the case and whether anything is overdue (a fixed number of queries per page)."""
    from django.db.models import Exists, F, Min, OuterRef, Subquery

    from mispers.reviews.selectors import risk_rank

    grade = request.GET.get("grade", "")
    if grade not in Grade.values:
        grade = ""
    current = now()
    pending = Deadline.objects.filter(episode=OuterRef("pk"), status=Deadline.Status.PENDING)
    next_review = pending.filter(kind=Deadline.Kind.REVIEW).order_by().values(
        "episode").annotate(first=Min("due_at")).values("first")
    episodes = (open_episodes_for(user=request.user, grade=grade)
                .select_related("owner")
                .annotate(next_review_due_at=Subquery(next_review),
                          is_overdue=Exists(pending.filter(due_at__lt=current)))
                .order_by(risk_rank(), F("is_overdue").desc(),
                          F("next_review_due_at").asc(nulls_last=True), "reported_at"))
    page = Paginator(episodes, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"episode": episode, "missing_for": duration_text(current - episode.last_seen_at),
             "review_text": "" if episode.next_review_due_at is None else (
                 ("overdue by " if episode.next_review_due_at < current else "in ")
                 + duration_text(episode.next_review_due_at - current))}
            for episode in page.object_list]
    log_shown(request, page.object_list)  # the page's episodes (access log)
    policy = policy_for_force(request.user.force)
    return render(request, "episodes/open_list.html", {
        "page": page, "rows": rows, "grade": grade, "grades": Grade.choices,
        "labels": policy.labels,
    })


def _child_details(data) -> ChildDetails:
    alias = data.get("alias", "").strip()
    aliases = ((alias, ""),) if alias else ()
    return ChildDetails(
        given_name=data["given_name"], family_name=data["family_name"],
        date_of_birth=data.get("date_of_birth"), estimated_age=data.get("estimated_age"),
        sex=data["sex"], ethnicity=data["ethnicity"],
        observed_ethnicity=data.get("observed_ethnicity") or "not_recorded",
        description=data.get("description", ""),
        looked_after=data.get("looked_after", False),
        local_authority=data.get("local_authority", ""),
        placement_address=data.get("placement_address", ""),
        home_address=data.get("home_address", ""), aliases=aliases,
    )


INTAKE_CANDIDATES = 10


def _find_child(request):
    """The first step: find the child among the force's children, ranked, with the reasons."""
    search = ChildSearchForm(request.GET or None)
    find = FindChildForm(request.GET if FindChildForm.submitted(request.GET) else None)
    results = children_search(user=request.user, text=search.data.get("q", "")) if (
        search.is_bound and search.data.get("q", "").strip()) else None
    candidates = None
    if find.is_bound and find.is_valid():
        try:
            candidates = intake_candidates(user=request.user,
                                           query=find.query(today=now().date()),
                                           limit=INTAKE_CANDIDATES)
        except IntakeQueryInvalid as error:
            add_domain_error(find, error)
    if results is not None:
        results = list(results)
    log_shown(request, [*(results or []), *(c.child for c in candidates or [])])
    return render(request, "episodes/report_find_child.html", {
        "search": search, "results": results, "find": find, "candidates": candidates,
        "facts": candidate_facts(request.user, [c.child for c in candidates or []]),
        "new_child_query": find.new_child_link_query() if candidates is not None else "new=1",
    })


def candidate_facts(user, children) -> dict:
    """child id -> what a call handler recognises a child by at intake (issue 11): the photo
    (the Philomena profile's), active markers, address, the open episode, how many episodes and
    the last one. A fixed number of queries for any number of candidates."""
    ids = [child.pk for child in children]
    if not ids:
        return {}
    histories = histories_of_children(user=user, child_ids=ids)
    markers = active_markers_of_children(child_ids=ids, on=now().date())
    photos = photo_profiles_of_children(child_ids=ids)
    return {child.pk: {"history": histories.get(child.pk), "markers": markers.get(child.pk, []),
                       "photo": photos.get(child.pk),
                       "address": child.placement_address or child.home_address}
            for child in children}


def report_place_pickers(request) -> list:
    """The report's two places: missing from, and last seen (issue 11)."""
    data = request.POST or None
    return [PlacePickerForm(data, prefix="from", user=request.user,
                            label="Place the child went missing from (optional)",
                            hint="The home, placement or other place: a few letters find it"),
            PlacePickerForm(data, prefix="seen", user=request.user,
                            label="Place last seen (optional)",
                            hint="Where they were last seen, if it is a place: a street, a "
                                 "park, a station, a friend's address")]


@reporter_required
def report(request):
    """Find the child (or record a new one), then take the report. The risk assessment follows
    on its own page so a re-assessment uses the same screen."""
    child = None
    if request.GET.get("child") or request.POST.get("child"):
        child = or_404(child_for, user=request.user,
                       child_id=request.POST.get("child") or request.GET.get("child"))
    # "This is the child" on a candidate of the new-child form posts `child` with the rest.
    new_child = child is None and (request.GET.get("new") == "1"
                                   or request.POST.get("new") == "1")
    if child is None and not new_child:
        return _find_child(request)

    current = now()
    child_form = NewChildForm(request.POST or None,
                              initial=new_child_initial(request.GET)) if new_child else None
    confirm_form = ConfirmNewChildForm(request.POST or None) if new_child else None
    form = ReportForm(request.POST or None, now=current)
    pickers = report_place_pickers(request)
    same_child = []
    if request.method == "POST":
        forms_valid = (form.is_valid() & (child_form is None or child_form.is_valid())
                       & (confirm_form is None or confirm_form.is_valid())
                       & all([picker.is_valid() for picker in pickers]))
        if forms_valid:
            details = ReportDetails(**form.cleaned_data,
                                    missing_from_place=pickers[0].cleaned_data["place"],
                                    last_seen_place=pickers[1].cleaned_data["place"])
            new_details = _child_details(child_form.cleaned_data) if child_form else None
            try:
                if new_details is not None:
                    # Refused while a strong candidate exists, until the user confirms.
                    new_child_check(user=request.user, details=new_details,
                                    today=current.date(),
                                    confirmed=confirm_form.cleaned_data["confirm_new_child"])
                episode = episode_report(
                    actor=request.user, now=current, details=details, child=child,
                    new_child=new_details)
            except SameChildRisk as error:
                same_child = error.candidates
                add_domain_error(confirm_form, error)
            except DomainError as error:
                target = child_form if child_form and error.field in child_form.fields else form
                add_domain_error(target, error)
            else:
                messages.success(request, f"Report {episode.reference} recorded. Now assess "
                                          "the risk.")
                return redirect("risk:assess", pk=episode.pk)
        elif child_form is not None and child_form.is_valid():
            same_child = strong_candidates(user=request.user, today=current.date(),
                                           details=_child_details(child_form.cleaned_data))
    if same_child:
        label = ("I have checked: this is not the same child as "
                 + "; ".join(c.child.full_name for c in same_child))
        confirm_form.fields["confirm_new_child"].label = label
        confirm_form["confirm_new_child"].label = label  # the bound field is already made
    if child is not None:
        log_view(request, object_type="child", object_id=child.pk, child_id=child.pk)
    log_shown(request, [c.child for c in same_child])  # children the new one may be
    return render(request, "episodes/report_form.html", {
        "form": form, "child_form": child_form, "child": child, "new_child": new_child,
        "confirm_form": confirm_form, "same_child": same_child,
        "forms": [f for f in (child_form, confirm_form, form, *pickers) if f is not None],
        "facts": candidate_facts(request.user, [c.child for c in same_child]
                                 + ([child] if child is not None else [])),
        "pickers": pickers,
    })


@police_required
def detail(request, pk):
    episode = or_404(episode_for, user=request.user, episode_id=pk)
    log_view(request, object_type="episode", object_id=episode.pk, child_id=episode.child_id)
    assessments = list(assessments_of(episode=episode))
    policy = policy_for_force(episode.force)
    return render(request, "episodes/detail.html", {
        "episode": episode,
        "child": episode.child,
        "age": episode.child.age_on(episode.reported_at.date()),
        "current": assessments[0] if assessments else None,
        "assessments": assessments,
        "timeline": list(timeline_for(episode=episode)),
        "labels": policy.labels,
        **_case_work(request, episode),
        **episode_partner_source(episode),
        # The close button for those who may close (the service decides; this only spares a
        # sergeant a refusal on an episode that was graded high).
        "may_close": can_close(request.user, episode, assessments=assessments),
    })


def _case_work(request, episode) -> dict:
    """The clock, ownership, actions, enquiry log, reviews and the return: a fixed number of
    queries however long the episode's history is."""
    user, current = request.user, now()
    clock = episode_clock(episode=episode, now=current)
    ret = return_of(episode=episode)
    handovers = list(handovers_of(episode=episode))
    pending = next((h for h in handovers if h.status == Handover.Status.PENDING), None)
    may_hand_over = can_hand_over(user, episode)
    may_act = bool(user.role_codes & REPORT_ROLES)
    colleagues = list(force_colleagues(user=user)) if (may_hand_over or may_act) else []
    actions = list(actions_of(episode=episode))
    open_actions = [a for a in actions if not a.is_done]
    action_rows = [{
        "action": a,
        "overdue_text": duration_text(current - a.due_at) if not a.is_done
        and a.due_at < current and episode.is_open else "",
        "assign_form": ActionAssignForm(colleagues=colleagues, auto_id=f"assign-{a.pk}-%s",
                                        initial={"assigned_to": str(a.assigned_to_id or "")})
        if may_act and not a.is_done else None,
        "complete_form": ActionCompleteForm(auto_id=f"done-{a.pk}-%s")
        if may_act and not a.is_done else None,
        # Issue 10: a supervisor may cancel an open action, with a reason.
        "cancel_form": ActionCancelForm(auto_id=f"cancel-{a.pk}-%s")
        if not a.is_done and episode.is_active and can_cancel_action(user, a) else None,
    } for a in actions]
    mine = list(notifications_for(user=user).filter(episode=episode))
    return {
        "now": current,
        # Actions have their own table: the clock lists the other deadlines.
        "clock": [row for row in rows(clock["deadlines"], current)
                  if row.deadline.kind != Deadline.Kind.ACTION],
        "next_review": clock["next_review"],
        "review_overdue_text": duration_text(clock["review_overdue_by"]),
        "review_due_in_text": duration_text(clock["next_review"].due_at - current)
        if clock["next_review"] and not clock["review_overdue_by"] else "",
        "my_notifications": mine,
        # Escalations are overdue things; other notifications (a disclosure, a hub alert) not.
        "my_notifications_all_escalations": all(n.escalation_id for n in mine),
        "handovers": handovers,
        "pending_handover": pending,
        "may_hand_over": may_hand_over,
        # Issue 10: the quick handover lists the user's own team (the whole force when the
        # user has no team); the handover page chooses another team.
        "handover_form": HandoverForm(colleagues=[
            c for c in colleagues if c.pk != episode.owner_id
            and (user.team_id is None or c.team_id == user.team_id)]) if may_hand_over else None,
        "handover_team": getattr(user, "team", None) if may_hand_over else None,
        "actions": action_rows,
        "open_action_count": len(open_actions),
        "overdue_action_count": sum(1 for row in action_rows if row["overdue_text"]),
        "may_act": may_act,
        "enquiries": list(enquiries_of(episode=episode)),
        "enquiry_form": EnquiryForm(initial={"occurred_at": timezone.localtime(current).replace(
            second=0, microsecond=0)}) if may_act and episode.is_active else None,
        "reviews": list(reviews_of(episode=episode)),
        "ret": ret,
        "missing_text": duration_text(ret["found"].time_missing) if ret["found"] else "",
        "indicator_names": INDICATOR_NAMES,
        "may_interview": bool(user.role_codes & INTERVIEWER_ROLES),
    }

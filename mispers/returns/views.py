"""Pages for the return and closure: found, the prevention interview or an approved reason it could
not happen, proposed markers, the return-home interview, closing and withdrawing; and the
coordinator's queue. One service call per request; plain form posts."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from mispers.accounts.roles import INTERVIEWER_ROLES
from mispers.accounts.rules import is_police_user
from mispers.casework.close import ClosureBlocked, closure_blockers, episode_close
from mispers.casework.found import return_record
from mispers.casework.interviews import prevention_interview_workflow, return_interview_workflow
from mispers.casework.withdraw import episode_withdraw
from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.errors import PermissionDenied as DomainPermissionDenied
from mispers.core.templatetags.govuk import govuk_datetime
from mispers.core.views import (
    _require,
    add_domain_error,
    log_shown,
    log_view,
    marker_required,
    or_404,
    ratifier_required,
    reporter_required,
)
from mispers.episodes.selectors import episode_for
from mispers.intelligence.views import rhi_suggestions_panel
from mispers.places.picker import PlacePickerForm
from mispers.reviews.clocks import overdue_by
from mispers.reviews.models import Deadline
from mispers.reviews.selectors import QueueItem, coordinator_queue, pending_deadlines_in_force
from mispers.reviews.views import duration_text, episode_url, queue_filters, section
from mispers.risk.selectors import policy_for_force

from .forms import (
    AddendumForm,
    ClosingForm,
    FoundForm,
    PreventionInterviewForm,
    ProposalDecisionForm,
    ReturnInterviewForm,
    WaiverForm,
    WithdrawForm,
    interview_arguments,
)
from .models import Indicator
from .selectors import (
    addenda_of,
    proposal_for,
    return_of,
    rhi_for,
    shared_findings_for_child,
    waiver_for,
)
from .services import (
    ClosingDetails,
    interview_addendum_add,
    marker_proposal_decide,
    prevention_waiver_approve,
    prevention_waiver_request,
)

# The prevention interview is a police interview: officers and their supervisors hold it.
interviewer_required = _require(
    lambda user: is_police_user(user) and bool(user.role_codes & INTERVIEWER_ROLES))
# The return-home interview and proposed markers: the coordinator and supervisors (the same
# people who may record a marker).
returns_staff_required = marker_required

INDICATOR_NAMES = dict(Indicator.choices)


def shared_findings(*, child) -> list:
    """Return-home interview findings shared with police, for the child's page and the
    assessment of their next episode, each with its indicators in words."""
    findings = list(shared_findings_for_child(child=child))
    for finding in findings:
        finding.indicator_labels = [INDICATOR_NAMES.get(code, code)
                                    for code in finding.indicators]
    return findings


def _episode_page(request, pk):
    episode = or_404(episode_for, user=request.user, episode_id=pk)
    log_view(request, object_type="episode", object_id=episode.pk, child_id=episode.child_id)
    return episode


def _log(request, episode) -> None:
    log_view(request, object_type="episode", object_id=episode.pk, child_id=episode.child_id)


# --- the coordinator's queue ------------------------------------------------------------------

@returns_staff_required
def coordinator(request):
    """Prevention interviews and return-home interviews due and overdue, and proposed markers to
    confirm; overdue first."""
    current = now()
    # Issue 10: every queue is ordered by risk then lateness, with the same filters.
    filters, filter_form = queue_filters(request)
    queue = coordinator_queue(user=request.user, now=current, filters=filters)
    markers = list(filters.deadlines(pending_deadlines_in_force(
        user=request.user, kinds=[Deadline.Kind.MARKER_DECISION])))
    sections = {
        "markers": section([QueueItem(d, overdue_by(due_at=d.due_at, now=current))
                            for d in markers], current),
        "prevention_interviews": section(queue["prevention_interviews"], current),
        "return_home_interviews": section(queue["return_home_interviews"], current),
    }
    log_shown(request, [row.episode for part in sections.values() for row in part["rows"]])
    return render(request, "returns/coordinator.html", {
        **sections, "filters": filter_form,
        "labels": policy_for_force(request.user.force).labels,
    })


# --- found ------------------------------------------------------------------------------------

@reporter_required
def found(request, pk):
    episode = _episode_page(request, pk)
    form = FoundForm(request.POST or None, initial={"expected_version": episode.version})
    picker = PlacePickerForm(request.POST or None, prefix="found", user=request.user,
                             label="Place found (optional)",
                             hint="If it is a place: an address, a station, a park. A few "
                                  "letters find it")
    if request.method == "POST" and form.is_valid() & picker.is_valid():
        try:
            record = return_record(actor=request.user, now=now(), episode=episode,
                                   found_place=picker.cleaned_data["place"],
                                   **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            missing = duration_text(record.time_missing)
            messages.success(request, f"Return recorded: missing {missing}. The prevention "
                                      "interview and the return-home interview are now due.")
            return redirect(episode_url(episode, "return"))
    return render(request, "returns/form_page.html", {
        "episode": episode, "child": episode.child, "form": form,
        "heading": "Record that the child is found", "button": "Record the return",
        "action": reverse("returns:found", args=[episode.pk]),
        "pickers": [picker], "forms": [form, picker],
        "intro": f"Last seen {govuk_datetime(episode.last_seen_at)} at {episode.last_seen_where}.",
    })


# --- the prevention interview -----------------------------------------------------------------

@interviewer_required
def prevention_interview(request, pk):
    episode = _episode_page(request, pk)
    form = PreventionInterviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            interview = prevention_interview_workflow(actor=request.user, now=now(),
                                                      episode=episode, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Prevention interview recorded." + (
                " The exploitation indicators propose a marker for a supervisor or the "
                "coordinator to confirm." if interview.indicators else ""))
            return redirect(episode_url(episode, "return"))
    return render(request, "returns/form_page.html", {
        "episode": episode, "child": episode.child, "form": form,
        "heading": "Record the prevention interview", "button": "Record the interview",
        "action": reverse("returns:prevention_interview", args=[episode.pk]),
        "ret": return_of(episode=episode),
        "intro": "Confirm the child is safe, ask where they were, with whom and why they left, "
                 "and record their own account in their words.",
    })


@interviewer_required
def waiver_request(request, pk):
    episode = _episode_page(request, pk)
    form = WaiverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            prevention_waiver_request(actor=request.user, now=now(), episode=episode,
                                      reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Reason recorded. It needs a supervisor's approval "
                                      "before the episode can close.")
            return redirect(episode_url(episode, "return"))
    return render(request, "returns/form_page.html", {
        "episode": episode, "child": episode.child, "form": form,
        "heading": "The prevention interview could not happen", "button": "Record the reason",
        "action": reverse("returns:waiver_request", args=[episode.pk]),
        "ret": return_of(episode=episode),
    })


@ratifier_required
def waiver_approve(request, pk):
    waiver = or_404(waiver_for, user=request.user, waiver_id=pk)
    episode = waiver.episode
    _log(request, episode)
    error = None
    if request.method == "POST":
        try:
            prevention_waiver_approve(actor=request.user, now=now(), waiver=waiver)
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(request, "Reason approved: the episode can be closed without a "
                                      "prevention interview.")
            return redirect(episode_url(episode, "return"))
    return render(request, "returns/waiver.html", {
        "waiver": waiver, "episode": episode, "child": episode.child, "error": error,
    })


# --- proposed markers -------------------------------------------------------------------------

@returns_staff_required
def proposal_decide(request, pk):
    proposal = or_404(proposal_for, user=request.user, proposal_id=pk)
    episode = proposal.episode
    _log(request, episode)
    form = ProposalDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = request.POST.get("decision")
        if decision not in {"confirm", "reject"}:
            form.add_error(None, "Choose to confirm or reject the marker")
        else:
            try:
                marker_proposal_decide(actor=request.user, now=now(), proposal=proposal,
                                       confirm=decision == "confirm",
                                       note=form.cleaned_data["note"])
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "Marker confirmed: it applies to every later "
                                          "assessment of the child." if decision == "confirm"
                                 else "Proposed marker rejected.")
                return redirect(episode_url(episode, "markers"))
    return render(request, "returns/proposal.html", {
        "proposal": proposal, "episode": episode, "child": proposal.child, "form": form,
        "indicator_names": INDICATOR_NAMES,
    })


# --- the return-home interview ----------------------------------------------------------------

def _with_labels(interviews: list) -> list:
    for interview in interviews:
        interview.indicator_labels = [INDICATOR_NAMES.get(code, code)
                                      for code in interview.indicators]
    return interviews


@returns_staff_required
def return_interview(request, pk):
    """Police: record the interview's progress (its findings too, unless a provider records
    them); once completed, add an addendum. A frozen interview (completed and shared) has no
    form for its findings, only the addendum form (ADR 20)."""
    interview = or_404(rhi_for, user=request.user, rhi_id=pk)
    episode = interview.episode
    _log(request, episode)
    posted = request.POST if request.method == "POST" else None
    adding = posted is not None and posted.get("form") == "addendum"
    form = None
    if not interview.findings_frozen:
        form = ReturnInterviewForm(None if adding else posted, interview=interview)
    addendum_form = (AddendumForm(posted if adding else None, interview=interview)
                     if interview.completed_at else None)
    if adding and addendum_form is not None and addendum_form.is_valid():
        data = addendum_form.cleaned_data
        try:
            interview_addendum_add(actor=request.user, now=now(), interview=interview,
                                   reason=data["reason"], text=data["text"],
                                   expected_version=data["expected_version"])
        except DomainError as error:
            add_domain_error(addendum_form, error)
        else:
            messages.success(request, "Addendum added to the return-home interview.")
            return redirect(episode_url(episode, "rhi"))
    elif posted is not None and not adding and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            return_interview_workflow(actor=request.user, now=now(), interview=interview,
                                      share=data.get("share", False), **interview_arguments(data))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Return-home interview updated." + (
                " Findings shared with police." if data.get("share") else ""))
            return redirect(episode_url(episode, "rhi"))
    return render(request, "returns/rhi.html", {
        "interview": interview, "episode": episode, "child": episode.child, "form": form,
        "addendum_form": addendum_form, "addenda": addenda_of(interview=interview),
        "findings": _with_labels([interview]) if interview.findings_frozen else [],
        "indicator_names": INDICATOR_NAMES,
        **rhi_suggestions_panel(request, interview),  # issue 14: police only
    })


# --- closing and withdrawing ------------------------------------------------------------------

@ratifier_required
def close(request, pk):
    """The closing page: what is still outstanding, each named with where to put it right, and
    the closing summary. Closure is refused, naming every blocker, until nothing is left."""
    episode = _episode_page(request, pk)
    form = ClosingForm(request.POST or None, initial={"expected_version": episode.version})
    blocked = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            episode_close(actor=request.user, now=now(), episode=episode,
                          summary=ClosingDetails(**{name: data[name] for name in (
                              "what_happened", "why_went", "risks_found", "what_next")}),
                          expected_version=data["expected_version"])
        except ClosureBlocked as refused:
            blocked = refused.blockers
            form.add_error(None, refused.HEADLINE)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Episode {episode.reference} closed.")
            return redirect(episode_url(episode))
    outstanding = blocked or (closure_blockers(episode=episode)
                              if episode.state == "found" else [])
    return render(request, "returns/close.html", {
        "episode": episode, "child": episode.child, "form": form, "blockers": outstanding,
        "refused": bool(blocked), "ret": return_of(episode=episode),
    })


@ratifier_required
def withdraw(request, pk):
    episode = _episode_page(request, pk)
    form = WithdrawForm(request.POST or None, initial={"expected_version": episode.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            episode_withdraw(actor=request.user, now=now(), episode=episode,
                             reason=data["reason"], expected_version=data["expected_version"])
        except DomainPermissionDenied as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Report {episode.reference} withdrawn: made in error.")
            return redirect(episode_url(episode))
    return render(request, "returns/form_page.html", {
        "episode": episode, "child": episode.child, "form": form,
        "heading": "Withdraw the report", "button": "Withdraw the report",
        "button_class": "govuk-button--warning",
        "action": reverse("returns:withdraw", args=[episode.pk]),
        "intro": "Only for a report made in error. The child's clocks stop, the episode no "
                 "longer counts as a repeat and it stays on record as withdrawn. While the child "
                 "is still missing, or if the case was ever graded medium or high, an inspector "
                 "or above must withdraw it.",
    })

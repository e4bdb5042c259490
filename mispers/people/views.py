from django.contrib import messages
from django.shortcuts import redirect, render

from mispers.accounts.roles import CHILD_EDIT_ROLES
from mispers.casework.children import child_conflict_resolve, child_update
from mispers.casework.harm import harm_panel
from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.views import (
    add_domain_error,
    log_shown,
    log_view,
    marker_required,
    or_404,
    police_required,
    require,
)
from mispers.episodes.forms import ChildSearchForm
from mispers.episodes.selectors import episodes_of_child
from mispers.intelligence.views import child_panel as intelligence_child_panel
from mispers.matching.views import merged_record_context
from mispers.partners.selectors import record_conflicts
from mispers.partners.views.panels import police_child_panel
from mispers.places.picker import PlacePickerForm, place_label
from mispers.repeats.views import child_repeats_context
from mispers.returns.views import shared_findings
from mispers.risk.services import policy_for_force

from .details import ChildDetails
from .forms import ChildEditForm, ConflictForm, MarkerForm, MarkerReviewForm
from .selectors import child_for, child_record_for, children_search, marker_for, record_changes
from .services import marker_add, marker_review

child_editor_required = require(lambda user: user.has_role(*CHILD_EDIT_ROLES))


@police_required
def search(request):
    form = ChildSearchForm(request.GET or None)
    text = request.GET.get("q", "").strip()
    results = list(children_search(user=request.user, text=text)) if text else None
    log_shown(request, results or [])
    return render(request, "people/search.html", {"search": form, "results": results})


@police_required
def detail(request, pk, marker_form=None):
    # A record merged into another still opens, with a banner saying where the child went.
    child = or_404(child_record_for, user=request.user, child_id=pk)
    log_view(request, object_type="child", object_id=child.pk, child_id=child.pk)
    policy = policy_for_force(child.force)
    episodes = list(episodes_of_child(user=request.user, child=child))
    today = now().date()
    markers = list(child.markers.all())
    for marker in markers:
        marker.active_today = marker.active_on(today)
        marker.ended = marker.active_until is not None and marker.active_until < today
    return render(request, "people/detail.html", {
        "marker_form": marker_form or MarkerForm(initial={"active_from": now().date()}),
        "child": child, "episodes": episodes,
        **harm_panel(episodes=episodes, now=now()),  # issue 10: harm, disclosures, a death
        "labels": policy.labels, "markers": markers, "today": today,
        "aliases": list(child.aliases.all()),
        "may_edit": request.user.has_role(*CHILD_EDIT_ROLES) and not child.merged_into_id,
        "conflicts": record_conflicts(child=child, on=today) if not child.merged_into_id else [],
        "changes": record_changes(child=child),
        "shared_findings": shared_findings(child=child),
        **child_repeats_context(request=request, child=child),
        **police_child_panel(request, child),
        **intelligence_child_panel(request, child),  # issue 14: police only
        **merged_record_context(request=request, child=child),
    })


@marker_required
def add_marker(request, pk):
    if request.method != "POST":
        return redirect("people:detail", pk=pk)
    child = or_404(child_for, user=request.user, child_id=pk)
    form = MarkerForm(request.POST)
    if form.is_valid():
        try:
            marker_add(actor=request.user, now=now(), child=child, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Marker recorded. It applies to every assessment made "
                                      "while it is active.")
            return redirect("people:detail", pk=child.pk)
    return detail(request, pk, marker_form=form)


@marker_required
def review_marker(request, pk, marker_pk):
    """A supervisor or the coordinator reviews a marker: it stays until a later review, or it
    ends. The child's page lists markers whose review date has come."""
    child = or_404(child_for, user=request.user, child_id=pk)
    marker = or_404(marker_for, child=child, marker_id=marker_pk)
    log_view(request, object_type="child", object_id=child.pk, child_id=child.pk)
    form = MarkerReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            marker_review(actor=request.user, now=now(), marker=marker,
                          **form.review_arguments())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{marker.label} marker reviewed.")
            return redirect("people:detail", pk=child.pk)
    return render(request, "people/marker_review.html", {
        "child": child, "marker": marker, "form": form})


def _placement_picker(request, child):
    initial = {"text": place_label(child.placement)} if (
        child.placement and request.method != "POST") else None
    return PlacePickerForm(request.POST or None, prefix="placement", user=request.user,
                           initial=initial, label="Placement as a recorded place (optional)",
                           hint="The children's home or foster placement: a few letters find "
                                "it")


@child_editor_required
def edit(request, pk):
    """Correct the child's record, with a reason kept in its history (issue 11, ADR 38)."""
    child = or_404(child_for, user=request.user, child_id=pk)
    log_view(request, object_type="child", object_id=child.pk, child_id=child.pk)
    form = ChildEditForm(request.POST or None, initial=ChildEditForm.initial_for(child))
    picker = _placement_picker(request, child)
    if request.method == "POST" and form.is_valid() and picker.is_valid():
        data = form.cleaned_data
        details = ChildDetails(
            **{name: data[name] for name in ChildEditForm.base_fields
               if name not in ("reason", "estimated_age", "date_of_birth")},
            date_of_birth=data["date_of_birth"], estimated_age=data["estimated_age"],
            placement=picker.cleaned_data["place"])
        try:
            child, changed = child_update(actor=request.user, now=now(), child=child,
                                          details=details, reason=data["reason"])
        except DomainError as error:
            if error.field == "placement":
                picker.add_error("text", error.message)
            else:
                add_domain_error(form, error)
        else:
            messages.success(request, f"{child.full_name}'s record changed: "
                                      f"{', '.join(changed)}.")
            return redirect("people:detail", pk=child.pk)
    return render(request, "people/edit.html", {"child": child, "form": form,
                                                "picker": picker, "forms": [form, picker]})


@child_editor_required
def resolve_conflict(request, pk, field):
    """The police record and a partner responsibility disagree: say which is right."""
    child = or_404(child_for, user=request.user, child_id=pk)
    log_view(request, object_type="child", object_id=child.pk, child_id=child.pk)
    conflict = next((c for c in record_conflicts(child=child, on=now().date())
                     if c.field == field), None)
    if conflict is None:
        messages.info(request, "The police and partner records no longer disagree.")
        return redirect("people:detail", pk=child.pk)
    form = ConflictForm(request.POST or None, conflict=conflict)
    if request.method == "POST" and form.is_valid():
        partner_is_right = form.cleaned_data["right"] == "partner"
        try:
            child_conflict_resolve(actor=request.user, now=now(), child=child, field=field,
                                   partner_is_right=partner_is_right,
                                   reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if partner_is_right and field == "placement":
                messages.success(request, "The old placement is cleared from the police "
                                          "record: choose the child's current placement.")
                return redirect("people:edit", pk=child.pk)
            messages.success(request, "The records now agree.")
            return redirect("people:detail", pk=child.pk)
    return render(request, "people/conflict.html", {"child": child, "conflict": conflict,
                                                    "form": form})

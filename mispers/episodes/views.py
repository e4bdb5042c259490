from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.views import (
    add_domain_error,
    log_view,
    or_404,
    police_required,
    reporter_required,
)
from mispers.people.selectors import child_for, children_search
from mispers.people.services import ChildDetails
from mispers.risk.selectors import assessments_of
from mispers.risk.services import policy_for_force

from .forms import ChildSearchForm, NewChildForm, ReportForm
from .models import Grade
from .selectors import episode_for, open_episodes_for, timeline_for
from .services import ReportDetails, episode_report

PAGE_SIZE = 50


@police_required
def open_list(request):
    grade = request.GET.get("grade", "")
    if grade not in Grade.values:
        grade = ""
    page = Paginator(open_episodes_for(user=request.user, grade=grade), PAGE_SIZE).get_page(
        request.GET.get("page"))
    policy = policy_for_force(request.user.force)
    return render(request, "episodes/open_list.html", {
        "page": page, "grade": grade, "grades": Grade.choices, "labels": policy.labels,
    })


def _child_details(data) -> ChildDetails:
    alias = data.get("alias", "").strip()
    aliases = ((alias, ""),) if alias else ()
    return ChildDetails(
        given_name=data["given_name"], family_name=data["family_name"],
        date_of_birth=data.get("date_of_birth"), estimated_age=data.get("estimated_age"),
        sex=data["sex"], ethnicity=data["ethnicity"], description=data.get("description", ""),
        looked_after=data.get("looked_after", False),
        local_authority=data.get("local_authority", ""),
        placement_address=data.get("placement_address", ""),
        home_address=data.get("home_address", ""), aliases=aliases,
    )


@reporter_required
def report(request):
    """Find the child (or record a new one), then take the report. The risk assessment follows
    on its own page so a re-assessment uses the same screen."""
    search = ChildSearchForm(request.GET or None)
    child = None
    if request.GET.get("child") or request.POST.get("child"):
        child = or_404(child_for, user=request.user,
                       child_id=request.POST.get("child") or request.GET.get("child"))
    new_child = request.GET.get("new") == "1" or request.POST.get("new") == "1"
    if child is None and not new_child:
        results = children_search(user=request.user, text=search.data.get("q", "")) if (
            search.is_bound and search.data.get("q", "").strip()) else None
        return render(request, "episodes/report_find_child.html",
                      {"search": search, "results": results})

    current = now()
    child_form = NewChildForm(request.POST or None) if new_child else None
    form = ReportForm(request.POST or None, now=current)
    if request.method == "POST":
        forms_valid = form.is_valid() & (child_form is None or child_form.is_valid())
        if forms_valid:
            details = ReportDetails(**form.cleaned_data)
            try:
                episode = episode_report(
                    actor=request.user, now=current, details=details, child=child,
                    new_child=_child_details(child_form.cleaned_data) if child_form else None)
            except DomainError as error:
                target = child_form if child_form and error.field in child_form.fields else form
                add_domain_error(target, error)
            else:
                messages.success(request, f"Report {episode.reference} recorded. Now assess "
                                          "the risk.")
                return redirect("risk:assess", pk=episode.pk)
    if child is not None:
        log_view(request, object_type="child", object_id=child.pk, child_id=child.pk)
    return render(request, "episodes/report_form.html", {
        "form": form, "child_form": child_form, "child": child, "new_child": new_child,
        "forms": [f for f in (child_form, form) if f is not None],
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
    })

from django.contrib import messages
from django.shortcuts import redirect, render

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
)
from mispers.episodes.forms import ChildSearchForm
from mispers.episodes.selectors import episodes_of_child
from mispers.matching.views import merged_record_context
from mispers.partners.views.panels import police_child_panel
from mispers.repeats.views import child_repeats_context
from mispers.returns.views import shared_findings
from mispers.risk.services import policy_for_force

from .forms import MarkerForm
from .selectors import child_for, child_record_for, children_search
from .services import marker_add


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
    return render(request, "people/detail.html", {
        "marker_form": marker_form or MarkerForm(initial={"active_from": now().date()}),
        "child": child, "episodes": episodes,
        **harm_panel(episodes=episodes, now=now()),  # issue 10: harm, disclosures, a death
        "labels": policy.labels, "markers": list(child.markers.all()),
        "aliases": list(child.aliases.all()),
        "shared_findings": shared_findings(child=child),
        **child_repeats_context(request=request, child=child),
        **police_child_panel(request, child),
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

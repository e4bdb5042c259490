from django.shortcuts import render

from mispers.core.views import log_view, or_404, police_required
from mispers.episodes.forms import ChildSearchForm
from mispers.episodes.selectors import episodes_of_child
from mispers.risk.services import policy_for_force

from .selectors import child_for, children_search


@police_required
def search(request):
    form = ChildSearchForm(request.GET or None)
    text = request.GET.get("q", "").strip()
    results = children_search(user=request.user, text=text) if text else None
    return render(request, "people/search.html", {"search": form, "results": results})


@police_required
def detail(request, pk):
    child = or_404(child_for, user=request.user, child_id=pk)
    log_view(request, object_type="child", object_id=child.pk, child_id=child.pk)
    policy = policy_for_force(child.force)
    return render(request, "people/detail.html", {
        "child": child, "episodes": list(episodes_of_child(user=request.user, child=child)),
        "labels": policy.labels, "markers": list(child.markers.all()),
        "aliases": list(child.aliases.all()),
    })

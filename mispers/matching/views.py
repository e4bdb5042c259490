"""The merge review queue: suggested pairs side by side with why they were suggested, the
coordinator's decision (merge one way or the other, or not the same child), and the merge
history with undo. Plain form posts; every child shown is written to the access log."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from mispers.core.clock import now
from mispers.core.errors import DomainError, NotFound
from mispers.core.views import _require, add_domain_error, log_shown, or_404
from mispers.people.models import Child

from .forms import DecisionForm, UndoForm
from .merge import can_merge, child_merge, child_unmerge, suggestion_reject
from .models import DuplicateSuggestion
from .selectors import (
    children_summaries,
    merge_for,
    merge_of_child,
    merges_visible_to,
    suggestion_for,
    suggestions_pending_for,
)

PAGE_SIZE = 20
merger_required = _require(can_merge)


def log_children(request, children, *, object_type: str = "child") -> None:
    """One access-log row per child shown, in one query."""
    log_shown(request, children, object_type=object_type)


@dataclass
class Pair:
    suggestion: DuplicateSuggestion
    a: Child
    b: Child
    form: DecisionForm


def _pairs(suggestions, forms=None) -> list[Pair]:
    summaries = children_summaries(ids=[s.child_a_id for s in suggestions]
                                   + [s.child_b_id for s in suggestions])
    forms = forms or {}
    return [Pair(suggestion=s, a=summaries[s.child_a_id], b=summaries[s.child_b_id],
                 form=forms.get(s.pk) or DecisionForm(prefix=f"s{s.pk}"))
            for s in suggestions]


@merger_required
def queue(request):
    page = Paginator(suggestions_pending_for(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page"))
    pairs = _pairs(list(page))
    log_children(request, [child for pair in pairs for child in (pair.a, pair.b)])
    return render(request, "matching/queue.html", {"page": page, "pairs": pairs})


@merger_required
def suggestion(request, pk):
    found = or_404(suggestion_for, user=request.user, suggestion_id=pk)
    form = DecisionForm(request.POST or None, prefix=f"s{found.pk}")
    if request.method == "POST" and found.status == DuplicateSuggestion.Status.PENDING:
        decision = request.POST.get("decision")
        if decision not in ("keep_a", "keep_b", "reject"):
            form.add_error(None, "Choose to merge the records or that they are not the same "
                                 "child")
        elif form.is_valid():
            try:
                done = _decide(request, found, decision, form.cleaned_data["reason"])
            except NotFound as error:
                raise Http404(error.message) from error
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, done)
                return redirect("matching:queue")
    (pair,) = _pairs([found], {found.pk: form})
    log_children(request, [pair.a, pair.b])
    return render(request, "matching/suggestion.html", {"pair": pair, "form": form},
                  status=400 if form.errors else 200)


def _decide(request, found: DuplicateSuggestion, decision: str, reason: str) -> str:
    if decision == "reject":
        suggestion_reject(actor=request.user, now=now(), suggestion=found, reason=reason)
        return (f"Recorded: {found.child_a.full_name} and {found.child_b.full_name} are not the "
                "same child. This pair will not be suggested again.")
    survivor, merged = ((found.child_a, found.child_b) if decision == "keep_a"
                        else (found.child_b, found.child_a))
    child_merge(actor=request.user, now=now(), survivor=survivor, merged=merged,
                reason=reason, suggestion=found)
    return (f"{merged.full_name}'s record was merged into {survivor.full_name}'s. If this was a "
            "mistake, undo it from the merge history.")


@merger_required
def merges(request):
    page = Paginator(merges_visible_to(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page"))
    log_children(request, [child for merge in page for child in (merge.survivor,
                                                                   merge.merged)])
    return render(request, "matching/merges.html", {"page": page})


@merger_required
def merge_undo(request, pk):
    merge = or_404(merge_for, user=request.user, merge_id=pk)
    form = UndoForm(request.POST or None)
    if request.method == "POST" and not merge.is_undone and form.is_valid():
        try:
            child_unmerge(actor=request.user, now=now(), merge=merge,
                          reason=form.cleaned_data["reason"])
        except NotFound as error:
            raise Http404(error.message) from error
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Merge undone: {merge.merged.full_name} and "
                                      f"{merge.survivor.full_name} are separate records again, "
                                      "each with what was theirs.")
            return redirect("people:detail", pk=merge.merged_id)
    log_children(request, [merge.survivor, merge.merged])
    return render(request, "matching/undo.html", {"merge": merge, "form": form},
                  status=400 if form.errors else 200)


def merged_record_context(*, request, child) -> dict:
    """For the page of a child's record: the merge that retired it, if it was merged."""
    if child.merged_into_id is None:
        return {}
    return {"child_merge": merge_of_child(child=child),
            "can_merge_records": can_merge(request.user)}

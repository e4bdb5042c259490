"""Where to look (issue 14, ADR 52): an episode's ranked places to look, each with its reason and
how often it has been right for this child before, the searches made, and "Record a search"; and
the force's figure of which suggestions find children. Police-only: partners, the
commissioner's office, the analyst and the force administrator are refused (403), another
force's episodes are not found (404); every view writes the access log (the episode's child and
the associates named in the reasons)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.views import add_domain_error, log_shown, log_view, or_404, require
from mispers.places.selectors import place_search

from .forms import ELSEWHERE, SearchForm
from .permissions import can_use_searches
from .selectors import (
    SOURCE_LABELS,
    episode_for_searches,
    searches_of,
    suggestion_figures,
    top_kept,
    where_to_look_for,
)
from .services import search_record, suggestions_shown_record

searches_required = require(can_use_searches)
FIGURE_DAYS = 365


def _place_named(user, text: str):
    """The one place of the force whose name (or "name, postcode") is exactly `text`."""
    text = " ".join((text or "").split())
    exact = [p for p in place_search(user=user, text=text, limit=8)
             if text.casefold() in (p.name.casefold(), str(p).casefold())]
    return exact[0] if len(exact) == 1 else None


@searches_required
def where_to_look(request, pk):
    episode = or_404(episode_for_searches, user=request.user, episode_id=pk)
    log_view(request, object_type="episode", object_id=episode.pk, child_id=episode.child_id)
    current = now()
    found = where_to_look_for(user=request.user, episode=episode, now=current)
    log_shown(request, [(entity_id, None) for entity_id in found.entity_ids],
              object_type="entity")
    suggestions = found.result.suggestions
    form = SearchForm(request.POST or None, suggestions=suggestions,
                      initial={"searched_at": current})
    status = 200
    if request.method == "POST" and episode.is_open:
        if form.is_valid():
            data = form.cleaned_data
            suggestion = data["suggestion"]
            place = suggestion.place if suggestion else None
            note = "" if suggestion else data["place_note"]
            if data["where"] == ELSEWHERE:
                place = _place_named(request.user, note)
            try:
                search_record(
                    actor=request.user, now=current, episode=episode,
                    searched_at=data["searched_at"], result=data["result"],
                    place=_place_model(request.user, place), place_note=note,
                    who=data["who"], notes=data["notes"],
                    suggestion_rank=suggestion.rank if suggestion else None,
                    suggestion_reason=suggestion.reason if suggestion else "")
            except DomainError as error:
                if error.field == "place":
                    form.add_error("where" if suggestion else "place_note", error.message)
                else:
                    add_domain_error(form, error)
            else:
                messages.success(request, "Search recorded. The list of places has been "
                                          "updated.")
                return redirect(reverse("searches:where_to_look", args=[episode.pk]))
        status = 400
    elif request.method == "POST":
        form.add_error(None, "The child is no longer missing: searches are recorded while a "
                             "child is missing")
        status = 400
    if episode.is_open:
        suggestions_shown_record(actor=request.user, now=current, episode=episode,
                                 top=top_kept(found.result))
    return render(request, "searches/where_to_look.html", {
        "episode": episode, "child": episode.child, "result": found.result, "form": form,
        "searches": searches_of(user=request.user, episode=episode),
        "source_labels": SOURCE_LABELS}, status=status)


def _place_model(user, place):
    """The Place record for a suggestion's PlaceFact (or a Place already)."""
    if place is None or hasattr(place, "force_id"):
        return place
    from mispers.places.selectors import place_for

    try:
        return place_for(user=user, place_id=place.id)
    except DomainError:
        return None


@searches_required
def figures(request):
    """Which suggestions find children: the force's figure over the last year (counts only)."""
    until = now()
    since = until - dt.timedelta(days=FIGURE_DAYS)
    return render(request, "searches/figures.html", {
        "figures": suggestion_figures(user=request.user, since=since, until=until),
        "days": FIGURE_DAYS, "source_labels": SOURCE_LABELS})

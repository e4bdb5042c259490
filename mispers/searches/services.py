"""Writes of searches (issue 14, ADR 52): record a search of a place during an open episode, and
keep what the where-to-look list showed, so the return can say whether the suggestions were
right. Each write is one transaction with its timeline event."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from mispers.core.errors import DomainError, NotFound, PermissionDenied
from mispers.episodes.models import Episode, TimelineEvent
from mispers.episodes.services import episode_lock, timeline_record

from .models import Search, SearchResult, SuggestionsShown
from .permissions import can_record_search, can_use_searches

MAX_RANK = 50


class SearchInvalid(DomainError):
    """A search that cannot be recorded as given; nothing is saved."""


STATE_REFUSALS = {
    Episode.State.FOUND: "The child has been found: searches are recorded while a child is "
                         "missing",
    Episode.State.CLOSED: "This episode is closed: searches are recorded while a child is "
                          "missing",
    Episode.State.WITHDRAWN: "This report was withdrawn: there is no search to record",
}


@transaction.atomic
def search_record(*, actor, now: dt.datetime, episode: Episode, searched_at: dt.datetime,
                  result: str, place=None, place_note: str = "", who: str = "",
                  notes: str = "", suggestion_rank: int | None = None,
                  suggestion_reason: str = "") -> Search:
    """A search of `place` (a Place of the episode's force) or of somewhere described in
    `place_note`, while the child is missing."""
    if not can_use_searches(actor):
        raise PermissionDenied("Searches are for police who read case records")
    if not can_record_search(actor, episode):
        raise NotFound("Episode not found")
    episode = episode_lock(episode=episode)  # ADR 20: the state as it is now
    if not episode.is_open:
        raise SearchInvalid(STATE_REFUSALS.get(episode.state, "This episode is not open"))
    if result not in SearchResult.values:
        raise SearchInvalid("Choose what the search found", field="result")
    place_note = " ".join((place_note or "").split())
    if place is None and not place_note:
        raise SearchInvalid("Say where was searched", field="place")
    if place is not None and (place.force_id != episode.force_id
                              or place.merged_into_id is not None):
        raise SearchInvalid("Place not found: choose it again", field="place")
    if searched_at is None:
        raise SearchInvalid("Enter when the search was made", field="searched_at")
    if searched_at > now:
        raise SearchInvalid("When the search was made cannot be in the future",
                            field="searched_at")
    if searched_at < episode.last_seen_at:
        raise SearchInvalid("The search cannot be before the child was last seen",
                            field="searched_at")
    if suggestion_rank is not None and not 1 <= suggestion_rank <= MAX_RANK:
        raise SearchInvalid(f"A suggestion's rank is between 1 and {MAX_RANK}",
                            field="suggestion_rank")
    search = Search(force_id=episode.force_id, episode=episode, place=place,
                    place_note=place_note[:300], searched_at=searched_at, searched_by=actor,
                    who=" ".join((who or "").split())[:200], result=result,
                    notes=(notes or "").strip(), suggestion_rank=suggestion_rank,
                    suggestion_reason=(suggestion_reason or "")[:300])
    search.stamp(actor=actor, now=now)
    search.save()
    # The place is not named on the episode's timeline: it may come from intelligence, which
    # is kept off the episode's timeline (ADR 49); the where-to-look page names it.
    suggested = f" (suggestion {suggestion_rank})" if suggestion_rank else ""
    timeline_record(episode=episode, at=now, actor=actor,
                    code=TimelineEvent.Code.SEARCH_RECORDED,
                    summary=f"Search recorded{suggested}: "
                            f"{search.get_result_display().lower()}",
                    data={"search": str(search.pk), "result": result,
                          "place": str(place.pk) if place else None})
    return search


@transaction.atomic
def suggestions_shown_record(*, actor, now: dt.datetime, episode: Episode,
                             top: list[dict]) -> SuggestionsShown | None:
    """Keep what the where-to-look list showed while the child was missing (the places at the
    top, their ranks and sources), when it differs from what was last kept: the return then says
    whether the place the child was found at had been suggested. Not a change to the case, so
    no timeline event (the searches have theirs)."""
    if not can_record_search(actor, episode) or not episode.is_open:
        return None
    last = SuggestionsShown.objects.filter(episode=episode).order_by("-at").first()
    if last is not None and last.top == top:
        return None
    return SuggestionsShown.objects.create(force_id=episode.force_id, episode=episode, at=now,
                                           actor=actor, top=top)

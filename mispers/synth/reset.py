"""Deleting the generator's data from a force (`mispers synth demo --reset`, `mispers demo
--reset`), so it can be made again: the one place the application deletes timeline rows, for
data that was never real (ADR 0019)."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import ProtectedError

from mispers.accounts.audit_db import allow_synthetic_purge
from mispers.accounts.models import Force
from mispers.episodes.models import Action, EnquiryEntry, Episode, ReferenceCounter, TimelineEvent
from mispers.intelligence.models import (
    Entity,
    EntityMerge,
    IntelligenceEvent,
    Link,
    Suggestion,
)
from mispers.people.models import Alias, Child, Marker
from mispers.places.models import Place
from mispers.returns.models import (
    ClosingSummary,
    FoundRecord,
    MarkerProposal,
    PreventionInterview,
    PreventionWaiver,
    ReturnHomeInterview,
)
from mispers.reviews.models import Deadline, Escalation, Handover, Notification, Review
from mispers.risk.models import Assessment, FactorAnswer

from .generator import SynthRefused, synthetic_children, synthetic_places
from .repeats import repeats_reset


@transaction.atomic
def synth_reset(*, force: Force) -> int:
    """Delete the generator's data in `force` (not its users), places included, so it can be
    made again.
    Refuses when the force holds any child the generator did not make. Returns how many
    children were deleted. Timeline rows are evidence and never deleted by the application;
    this is the one exception, for data that was never real."""
    ours = synthetic_children(force)
    if not ours.exists():
        return 0
    if Child.objects.filter(force=force).exclude(pk__in=ours.values("pk")).exists():
        raise SynthRefused(f"{force.name} holds children the generator did not make: "
                           "refusing to reset it")
    child_ids = list(ours.values_list("pk", flat=True))
    episode_ids = list(Episode.objects.filter(child__in=ours).values_list("pk", flat=True))
    allow_synthetic_purge(connection)  # PostgreSQL's append-only triggers (ADR 0019)
    assessment_ids = list(Assessment.objects.filter(episode__child__in=ours)
                          .values_list("pk", flat=True))
    place_ids = list(synthetic_places(force).values_list("pk", flat=True))
    try:
        # Intelligence (issue 14) names children, episodes and places: all of the force's goes
        # first (the generator's demo ring, and whatever was recorded on synthetic children).
        _intelligence_delete(force)
        # Everything hanging off the episodes first (clocks, return), then the episodes.
        for model in (Notification, Escalation, Deadline):
            _delete(model, "episode_id", episode_ids)
        _delete(Review, "episode_id", episode_ids, history=True, by_episode=True)
        _delete(Handover, "episode_id", episode_ids, history=True, by_episode=True)
        _delete(MarkerProposal, "episode_id", episode_ids)
        _delete(ClosingSummary, "episode_id", episode_ids)
        for model in (PreventionInterview, PreventionWaiver, ReturnHomeInterview, FoundRecord):
            _delete(model, "episode_id", episode_ids, history=True, by_episode=True)
        repeats_reset(episode_ids=episode_ids, child_ids=child_ids, delete=_delete)
        _delete(Action, "episode_id", episode_ids, history=True, by_episode=True)
        _delete(EnquiryEntry, "episode_id", episode_ids)
        _delete(FactorAnswer, "assessment_id", assessment_ids)
        _delete(Assessment, "pk", assessment_ids, history=True)
        _delete(TimelineEvent, "episode_id", episode_ids)
        _delete(Episode, "pk", episode_ids, history=True)
        for model in (Marker, Alias):
            ids = list(model.objects.filter(child__in=ours).values_list("pk", flat=True))
            _delete(model, "pk", ids, history=True)
        _delete(Child, "pk", child_ids, history=True)
        # The places last: episodes, returns and children named them.
        _delete(Place, "pk", place_ids, history=True)
    except ProtectedError as exc:
        raise SynthRefused(f"Other records refer to {force.name}'s synthetic episodes or "
                           "places; reset a fresh database instead") from exc
    if not Episode.objects.filter(force=force).exists():
        ReferenceCounter.objects.filter(force=force).delete()
    return len(child_ids)


def _intelligence_delete(force: Force) -> None:
    for model in (Suggestion, IntelligenceEvent, EntityMerge):
        model.objects.filter(force=force).delete()
    _delete(Link, "pk", list(Link.objects.filter(force=force).values_list("pk", flat=True)),
            history=True)
    Entity.objects.filter(force=force).update(merged_into=None)
    _delete(Entity, "pk", list(Entity.objects.filter(force=force).values_list("pk", flat=True)),
            history=True)


def _delete(model, column: str, ids: list, *, history: bool = False,
            by_episode: bool = False) -> None:
    """Delete rows by id in chunks; with `history`, their django-simple-history rows too
    (including the ones the deletion itself adds), matched by the same column when
    `by_episode`, else by the rows' own ids."""
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        model.objects.filter(**{f"{column}__in": chunk}).delete()
        if history:
            key = f"{column}__in" if by_episode else "id__in"
            model.history.model.objects.filter(**{key: chunk}).delete()

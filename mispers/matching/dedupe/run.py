"""The batch job's write: new suggested pairs into the force's review queue."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.db import transaction

from mispers.accounts.models import Force
from mispers.core.errors import DomainError
from mispers.people.models import Child

from ..models import DuplicateSuggestion
from .find import duplicate_pairs_find


class UnknownForce(DomainError):
    """No force has that code."""


@dataclass(frozen=True)
class DedupeResult:
    children: int  # live children compared
    pairs_found: int  # pairs at or above the threshold
    suggested: int  # new suggestions written
    already_known: int  # pairs suggested before (waiting, merged or rejected): never again
    skipped_merged: int  # a child was merged while the job ran

    def as_dict(self) -> dict:
        return asdict(self)


def force_by_code(code: str) -> Force:
    try:
        return Force.objects.get(pk=code)
    except Force.DoesNotExist:
        raise UnknownForce(f"No force has the code {code!r}", field="force") from None


def dedupe_run(*, force: Force, actor, now: dt.datetime,
               threshold: float | None = None) -> DedupeResult:
    """Score the force's children (outside any transaction: it reads only and may take tens of
    seconds), then write the new pairs in one transaction. A pair already suggested, whatever
    became of it, is never suggested again; so running twice writes nothing new."""
    if threshold is not None and not 0 < threshold < 1:
        raise DomainError("The threshold is a match probability between 0 and 1",
                          field="threshold")
    pairs = duplicate_pairs_find(force_code=force.pk, threshold=threshold)
    children = Child.objects.filter(force=force, merged_into__isnull=True).count()
    return _suggestions_write(force=force, pairs=pairs, children=children, now=now)


@transaction.atomic
def _suggestions_write(*, force: Force, pairs, children: int, now: dt.datetime) -> DedupeResult:
    ids = sorted({str(pair.child_a_id) for pair in pairs}
                 | {str(pair.child_b_id) for pair in pairs})
    # Re-read under the transaction: a child merged since the scoring is not suggested.
    live: set[str] = set()
    for start in range(0, len(ids), 2000):  # within every database's limit on parameters
        live.update(str(pk) for pk in Child.objects.filter(
            pk__in=ids[start:start + 2000], force=force, merged_into__isnull=True)
            .values_list("pk", flat=True))
    known = {(str(a), str(b)) for a, b in DuplicateSuggestion.objects.filter(force=force)
             .values_list("child_a_id", "child_b_id")}
    new, already, merged = [], 0, 0
    for pair in pairs:
        key = (str(pair.child_a_id), str(pair.child_b_id))
        if key in known:
            already += 1
        elif key[0] not in live or key[1] not in live:
            merged += 1
        else:
            known.add(key)
            new.append(DuplicateSuggestion(
                force=force, child_a_id=key[0], child_b_id=key[1],
                match_weight=pair.match_weight, match_probability=pair.match_probability,
                explanation=pair.explanation, found_at=now))
    DuplicateSuggestion.objects.bulk_create(new, batch_size=500)
    return DedupeResult(children=children, pairs_found=len(pairs), suggested=len(new),
                        already_known=already, skipped_merged=merged)

"""Writes for intake matching: keeping each child's identity keys in step with the child, and
loading many children at once (synthetic data and benchmarks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction

from mispers.people.details import ADULT_AGE, ChildDetails, ChildInvalid
from mispers.people.models import Alias, Child

from .keys import identity_rows
from .models import IdentityKey

BATCH = 2_000


def _rows_for(child: Child, aliases: Iterable[tuple[str, str]]) -> list[IdentityKey]:
    if child.merged_into_id is not None:
        return []  # a merged child is never offered again: its names live on the survivor
    return [IdentityKey(force_id=child.force_id, child_id=child.pk, **values)
            for values in identity_rows(
                given_name=child.given_name, family_name=child.family_name,
                aliases=tuple(aliases), date_of_birth=child.date_of_birth,
                estimated_age=child.estimated_age, estimated_age_on=child.estimated_age_on,
                home_address=child.home_address, placement_address=child.placement_address)]


@transaction.atomic
def identity_keys_refresh(*, child: Child) -> list[IdentityKey]:
    """Rebuild the child's identity keys from what the record says now: their name, aliases,
    date of birth (or estimated age) and addresses. Call it after any change to those, and for
    both children after a merge or an unmerge (a merged child gets none). Idempotent."""
    child = Child.objects.only(
        "id", "force_id", "given_name", "family_name", "date_of_birth", "estimated_age",
        "estimated_age_on", "home_address", "placement_address", "merged_into_id",
    ).get(pk=child.pk)
    aliases = Alias.objects.filter(child=child).values_list("given_name", "family_name")
    IdentityKey.objects.filter(child=child).delete()
    return IdentityKey.objects.bulk_create(_rows_for(child, aliases))


@transaction.atomic
def identity_keys_rebuild(*, force=None) -> int:
    """Rebuild every child's keys (of one force, or all): for existing data and after a change
    to the key rules or the nickname table. Returns the number of rows written."""
    children = Child.objects.order_by("pk")
    keys = IdentityKey.objects.all()
    if force is not None:
        children, keys = children.filter(force=force), keys.filter(force=force)
    keys.delete()
    aliases: dict = {}
    for child_id, given, family in Alias.objects.filter(child__in=children).values_list(
            "child_id", "given_name", "family_name"):
        aliases.setdefault(child_id, []).append((given, family))
    written, rows = 0, []
    for child in children.iterator(chunk_size=BATCH):
        rows.extend(_rows_for(child, aliases.get(child.pk, ())))
        if len(rows) >= BATCH:
            written += len(IdentityKey.objects.bulk_create(rows, batch_size=BATCH))
            rows = []
    written += len(IdentityKey.objects.bulk_create(rows, batch_size=BATCH))
    return written


@transaction.atomic
def children_bulk_load(*, actor, now: dt.datetime, force,
                       details: Sequence[ChildDetails]) -> list[Child]:
    """Record many children at once with their aliases and identity keys, in bulk inserts.

    For synthetic data and benchmarks (100,000 children in seconds). It checks what
    `child_create` checks about names and ages but, like any bulk insert, writes no
    change-history rows: record real children through `child_create`."""
    today = now.date()
    children, alias_rows, key_rows = [], [], []
    for index, item in enumerate(details):
        if not (item.given_name.strip() or item.family_name.strip()):
            raise ChildInvalid(f"Child {index}: enter the child's name", field="given_name")
        if item.date_of_birth is None and item.estimated_age is None:
            raise ChildInvalid(f"Child {index}: enter a date of birth or an estimated age",
                               field="date_of_birth")
        child = Child(
            force=force, given_name=item.given_name.strip(),
            family_name=item.family_name.strip(), date_of_birth=item.date_of_birth,
            estimated_age=item.estimated_age if item.date_of_birth is None else None,
            estimated_age_on=today if item.date_of_birth is None else None,
            sex=item.sex, ethnicity=item.ethnicity, observed_ethnicity=item.observed_ethnicity,
            description=item.description.strip(),
            looked_after=item.looked_after,
            local_authority=item.local_authority.strip() if item.looked_after else "",
            placement_address=item.placement_address.strip(),
            home_address=item.home_address.strip())
        if (child.age_on(today) or 0) >= ADULT_AGE:
            raise ChildInvalid(f"Child {index} is 18 or over", field="date_of_birth")
        child.stamp(actor=actor, now=now)
        children.append(child)
        aliases = [(g.strip(), f.strip()) for g, f in item.aliases if g.strip() or f.strip()]
        for given, family in aliases:
            alias = Alias(child=child, given_name=given, family_name=family)
            alias.stamp(actor=actor, now=now)
            alias_rows.append(alias)
        key_rows.extend(_rows_for(child, aliases))
    Child.objects.bulk_create(children, batch_size=BATCH)
    Alias.objects.bulk_create(alias_rows, batch_size=BATCH)
    IdentityKey.objects.bulk_create(key_rows, batch_size=BATCH)
    return children

"""Writes for children: a new child's record, and markers. The checks every child record must pass
are in `details`, which matching uses too."""

import datetime as dt

from django.db import transaction

from mispers.places.models import PlaceKind

from .details import ADULT_AGE, ChildDetails, ChildInvalid, check_child_details
from .models import Alias, Child, Marker
from .selectors import marker_overlapping

PLACEMENT_KINDS = {PlaceKind.CHILDRENS_HOME, PlaceKind.FOSTER_PLACEMENT}


@transaction.atomic
def child_save(*, actor, now: dt.datetime, force, details: ChildDetails) -> Child:
    """A new child's record and aliases. Only the record: recording a child
    (`mispers.casework.children.child_create`) also keeps matching's identity keys in step."""
    today = now.date()
    check_child_details(details, today=today)
    child = Child(
        force=force,
        given_name=details.given_name.strip(),
        family_name=details.family_name.strip(),
        date_of_birth=details.date_of_birth,
        estimated_age=details.estimated_age if details.date_of_birth is None else None,
        estimated_age_on=today if details.date_of_birth is None else None,
        sex=details.sex,
        ethnicity=details.ethnicity,
        observed_ethnicity=details.observed_ethnicity,
        description=details.description.strip(),
        looked_after=details.looked_after,
        local_authority=details.local_authority.strip() if details.looked_after else "",
        placement_address=details.placement_address.strip(),
        placement=_placement_check(details.placement, force=force),
        home_address=details.home_address.strip(),
    )
    if (child.age_on(today) or 0) >= ADULT_AGE:
        raise ChildInvalid("This person is 18 or over: this system is for children",
                           field="date_of_birth")
    child.stamp(actor=actor, now=now)
    child.save()
    for given, family in details.aliases:
        if given.strip() or family.strip():
            alias = Alias(child=child, given_name=given.strip(), family_name=family.strip())
            alias.stamp(actor=actor, now=now)
            alias.save()
    return child


def _placement_check(place, *, force):
    """The child's placement is a children's home or foster placement of the child's force."""
    if place is None:
        return None
    if (getattr(place, "force_id", None) != force.pk or place.merged_into_id is not None
            or place.kind not in PLACEMENT_KINDS):
        raise ChildInvalid("Choose a children's home or foster placement recorded by this force",
                           field="placement")
    return place


@transaction.atomic
def marker_add(*, actor, now: dt.datetime, child: Child, kind: str, active_from: dt.date,
               active_until: dt.date | None = None, note: str = "") -> Marker:
    if kind not in Marker.Kind.values:
        raise ChildInvalid(f"Unknown marker kind: {kind}", field="kind")
    if active_until is not None and active_until < active_from:
        raise ChildInvalid("A marker cannot end before it starts", field="active_until")
    # One active marker per kind (ADR 22): the child's row is locked so that two people adding
    # the same marker at once cannot both pass the check.
    Child.objects.select_for_update().filter(pk=child.pk).exists()
    existing = marker_overlapping(child=child, kind=kind, active_from=active_from,
                                  active_until=active_until)
    if existing is not None:
        until = (f" until {existing.active_until:%-d %B %Y}" if existing.active_until
                 else "")
        raise ChildInvalid(
            f"This child already has {_article(existing.get_kind_display().lower())} marker "
            f"active from {existing.active_from:%-d %B %Y}{until}: a child has one active "
            "marker of each kind", field="kind")
    marker = Marker(child=child, kind=kind, active_from=active_from, active_until=active_until,
                    note=note.strip())
    marker.stamp(actor=actor, now=now)
    marker.save()
    return marker


def _article(words: str) -> str:
    return f"an {words}" if words[:1] in "aeiou" else f"a {words}"


@transaction.atomic
def marker_annotate(*, actor, now: dt.datetime, marker: Marker, note: str) -> Marker:
    """Add a dated line to an existing marker's note (a later disclosure of the same concern):
    the marker stays one row, and its history keeps each version of the note."""
    if not note.strip():
        raise ChildInvalid("Say what to add to the marker", field="note")
    marker = Marker.objects.select_for_update().get(pk=marker.pk)
    line = f"{now:%-d %b %Y}: {note.strip()}"
    marker.note = f"{marker.note}\n{line}" if marker.note else line
    marker.stamp(actor=actor, now=now)
    marker.save()
    return marker

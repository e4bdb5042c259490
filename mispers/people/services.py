"""Writes for children: a new child's record, and markers. The checks every child record must pass
are in `details`, which matching uses too."""

import datetime as dt

from django.db import transaction

from mispers.places.models import PlaceKind

from .details import ADULT_AGE, ChildDetails, ChildInvalid, check_child_details
from .models import Alias, Child, Marker, MarkerSource, MarkerSubtype
from .selectors import marker_overlapping

# What a correction may change, in the order the history lists them.
EDITABLE = ("given_name", "family_name", "date_of_birth", "estimated_age", "sex", "ethnicity",
            "observed_ethnicity", "description", "looked_after", "local_authority",
            "placement_address", "placement", "home_address")

REASON_LENGTH = 100  # the history's change-reason column

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


@transaction.atomic
def child_update(*, actor, now: dt.datetime, child: Child, details: ChildDetails,
                 reason: str) -> tuple[Child, list[str]]:
    """Correct the child's record. The reason is kept with the new version in the record's
    history; a changed name is kept as a previous name, so searches by the old one still find
    the child. Returns the record and the labels of the fields that changed. Only the record:
    `mispers.casework.children.child_update` also keeps identity keys and partner records in
    step."""
    if not reason.strip():
        raise ChildInvalid("Say why you are changing the record", field="reason")
    if len(reason.strip()) > REASON_LENGTH:
        raise ChildInvalid(f"Keep the reason to {REASON_LENGTH} characters", field="reason")
    today = now.date()
    check_child_details(details, today=today)
    child = Child.objects.select_for_update().get(pk=child.pk)
    if child.merged_into_id is not None:
        raise ChildInvalid("This record was merged into another: correct that one",
                           field="reason")
    before = {name: getattr(child, name) for name in EDITABLE}
    old_name = (child.given_name, child.family_name)
    child.given_name = details.given_name.strip()
    child.family_name = details.family_name.strip()
    child.date_of_birth = details.date_of_birth
    if details.date_of_birth is not None:
        child.estimated_age = child.estimated_age_on = None
    elif details.estimated_age != before["estimated_age"] or child.estimated_age_on is None:
        child.estimated_age, child.estimated_age_on = details.estimated_age, today
    child.sex, child.ethnicity = details.sex, details.ethnicity
    child.observed_ethnicity = details.observed_ethnicity
    child.description = details.description.strip()
    child.looked_after = details.looked_after
    child.local_authority = details.local_authority.strip() if details.looked_after else ""
    child.placement_address = details.placement_address.strip()
    child.placement = _placement_check(details.placement, force=child.force)
    child.home_address = details.home_address.strip()
    if (child.age_on(today) or 0) >= ADULT_AGE:
        raise ChildInvalid("This person is 18 or over: this system is for children",
                           field="date_of_birth")
    changed = [Child._meta.get_field(name).verbose_name for name in EDITABLE
               if getattr(child, name) != before[name]]
    if not changed:
        raise ChildInvalid("Nothing has changed: correct a detail, or cancel", field="reason")
    if (child.given_name, child.family_name) != old_name and not child.aliases.filter(
            given_name=old_name[0], family_name=old_name[1]).exists():
        previous = Alias(child=child, given_name=old_name[0], family_name=old_name[1],
                         kind=Alias.Kind.PREVIOUS)
        previous.stamp(actor=actor, now=now)
        previous.save()
    child.stamp(actor=actor, now=now)
    child._change_reason = reason.strip()
    child.save()
    return child, changed


def _placement_check(place, *, force):
    """The child's placement is a children's home or foster placement of the child's force."""
    if place is None:
        return None
    if (getattr(place, "force_id", None) != force.pk or place.merged_into_id is not None
            or place.kind not in PLACEMENT_KINDS):
        raise ChildInvalid("Choose a children's home or foster placement recorded by this force",
                           field="placement")
    return place


MARKER_REVIEW_DAYS = 182  # a marker is looked at again within six months unless told otherwise


def marker_check(*, kind: str, subtype: str, source: str, active_from: dt.date,
                 active_until: dt.date | None, review_on: dt.date | None) -> None:
    if kind not in Marker.Kind.values:
        raise ChildInvalid(f"Unknown marker kind: {kind}", field="kind")
    if kind == Marker.Kind.EXPLOITATION and subtype not in MarkerSubtype.values:
        raise ChildInvalid("Choose the kind of exploitation: sexual, criminal (including county "
                           "lines), trafficking or modern slavery, or other", field="subtype")
    if kind != Marker.Kind.EXPLOITATION and subtype:
        raise ChildInvalid("Only an exploitation marker has a kind of exploitation",
                           field="subtype")
    if source and source not in MarkerSource.values:
        raise ChildInvalid("Choose where the information came from", field="source")
    if active_until is not None and active_until < active_from:
        raise ChildInvalid("A marker cannot end before it starts", field="active_until")
    if review_on is not None and review_on < active_from:
        raise ChildInvalid("The review date cannot be before the marker starts",
                           field="review_on")


@transaction.atomic
def marker_add(*, actor, now: dt.datetime, child: Child, kind: str, active_from: dt.date,
               active_until: dt.date | None = None, note: str = "", subtype: str = "",
               source: str = "", review_on: dt.date | None = None) -> Marker:
    """A marker on the child's record. An exploitation marker says which exploitation; every
    marker has a review date (six months on unless given) and may have an end."""
    marker_check(kind=kind, subtype=subtype, source=source, active_from=active_from,
                 active_until=active_until, review_on=review_on)
    # One active marker per kind and subtype (ADR 22, ADR 38): the child's row is locked so that
    # two people adding the same marker at once cannot both pass the check.
    Child.objects.select_for_update().filter(pk=child.pk).exists()
    existing = marker_overlapping(child=child, kind=kind, subtype=subtype,
                                  active_from=active_from, active_until=active_until)
    if existing is not None:
        until = (f" until {existing.active_until:%-d %B %Y}" if existing.active_until
                 else "")
        raise ChildInvalid(
            f"This child already has {_article(existing.label.lower())} marker "
            f"active from {existing.active_from:%-d %B %Y}{until}: a child has one active "
            "marker of each kind", field="subtype" if subtype else "kind")
    if review_on is None and active_until is None:
        review_on = max(active_from, now.date()) + dt.timedelta(days=MARKER_REVIEW_DAYS)
    marker = Marker(child=child, kind=kind, subtype=subtype, source=source,
                    active_from=active_from, active_until=active_until, review_on=review_on,
                    note=note.strip())
    marker.stamp(actor=actor, now=now)
    marker.save()
    return marker


@transaction.atomic
def marker_review(*, actor, now: dt.datetime, marker: Marker, note: str,
                  ends_on: dt.date | None = None, review_on: dt.date | None = None) -> Marker:
    """A marker is reviewed: it ends on a date, or it stays and is looked at again by a later
    date. Either way the reason is added to its note and its history keeps the old version."""
    marker = Marker.objects.select_for_update().get(pk=marker.pk)
    today = now.date()
    if not note.strip():
        raise ChildInvalid("Say why the marker ends or stays", field="note")
    if marker.active_until is not None and marker.active_until < today:
        raise ChildInvalid("This marker has already ended", field="ends_on")
    if (ends_on is None) == (review_on is None):
        raise ChildInvalid("Either end the marker or give its next review date",
                           field="ends_on")
    if ends_on is not None:
        if ends_on < marker.active_from:
            raise ChildInvalid("A marker cannot end before it starts", field="ends_on")
        if ends_on > today:
            raise ChildInvalid("The end date cannot be in the future", field="ends_on")
        marker.active_until, marker.review_on = ends_on, None
        line = f"{now:%-d %b %Y}: ended from {ends_on:%-d %b %Y}. {note.strip()}"
    else:
        if review_on <= today:
            raise ChildInvalid("The next review date must be in the future", field="review_on")
        marker.review_on = review_on
        line = f"{now:%-d %b %Y}: reviewed, still applies. {note.strip()}"
    marker.note = f"{marker.note}\n{line}" if marker.note else line
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

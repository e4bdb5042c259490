"""Writes of intelligence (issue 14, ADR 49): record an entity, link a child to it, merge and
unmerge duplicates, read suggestions from free text and confirm or dismiss them. Every write
checks permissions, refuses another force's records, and writes its timeline event in the same
transaction; bad input raises before anything is saved."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from mispers.core.errors import DomainError, PermissionDenied

from .models import (
    Entity,
    EntityKind,
    EntityMerge,
    HandlingCode,
    InformationAssessment,
    IntelligenceEvent,
    Link,
    LinkKind,
    PersonRole,
    Platform,
    Source,
    SourceEvaluation,
    Suggestion,
)
from .normalise import (
    EntityInvalid,
    handle_normalise,
    names_in,
    phone_normalise,
    phones_in,
    plates_in,
    registration_normalise,
)
from .permissions import can_link_child, can_merge_entities, can_see_entity, can_use_intelligence

__all__ = ["EntityInvalid", "LinkInvalid", "MergeRefused", "entity_create", "entity_merge",
           "entity_unmerge", "hub_alert_record", "hub_alerted", "link_create",
           "suggestion_confirm", "suggestion_dismiss", "suggestions_from_text"]


class LinkInvalid(DomainError):
    """A link that cannot be made: another force's child or entity, an episode of another child,
    a grading or source not in the lists."""


class MergeRefused(DomainError):
    """Entities that cannot be merged: different kinds, the same record, one merged already."""


def _event(*, actor, now, code: str, summary: str, child=None, entity=None, link=None,
           data: dict | None = None) -> IntelligenceEvent:
    force_id = (child or entity).force_id if (child or entity) is not None else actor.force_id
    return IntelligenceEvent.objects.create(
        force_id=force_id, at=now, actor=actor, code=code, summary=summary[:500],
        child=child, entity=entity, link=link, data=data or {})


def _clean_aliases(aliases) -> list[str]:
    seen, kept = set(), []
    for alias in aliases or ():
        alias = " ".join(str(alias).split())[:60]
        if alias and alias.lower() not in seen:
            seen.add(alias.lower())
            kept.append(alias)
    return kept[:20]


def _entity_values(*, actor, kind: str, name: str, aliases, approximate_age, role: str,
                   description: str, registration: str, make: str, colour: str, phone: str,
                   platform: str, handle: str, place) -> dict:
    """The fields of a new entity of `kind`, normalised; EntityInvalid for anything wrong."""
    if kind not in EntityKind.values:
        raise EntityInvalid("Choose what kind of record this is", field="kind")
    values = {"kind": kind, "description": (description or "").strip()}
    if kind == EntityKind.PERSON:
        aliases = _clean_aliases(aliases)
        name = " ".join((name or "").split())[:200]
        if not name and aliases:
            name, aliases = aliases[0], aliases[1:]
        if not name:
            raise EntityInvalid("Enter the person's name, or the name or street name they "
                                "are known by", field="name")
        if role and role not in PersonRole.values:
            raise EntityInvalid("Choose the person's role", field="role")
        if approximate_age is not None and not 0 < int(approximate_age) < 120:
            raise EntityInvalid("Enter an age between 1 and 119, or leave it blank",
                                field="approximate_age")
        values.update(name=name, aliases=aliases, approximate_age=approximate_age,
                      role=role or PersonRole.UNKNOWN, key="")
    elif kind == EntityKind.VEHICLE:
        values.update(key=registration_normalise(registration), make=(make or "").strip()[:60],
                      colour=(colour or "").strip()[:40])
    elif kind == EntityKind.PHONE:
        values.update(key=phone_normalise(phone))
    elif kind == EntityKind.HANDLE:
        if platform not in Platform.values:
            raise EntityInvalid("Choose the platform", field="platform")
        normalised = handle_normalise(handle)
        values.update(platform=platform, handle=(handle or "").strip().lstrip("@"),
                      key=f"{platform}:{normalised}")
    else:  # a place of the force (issue 11)
        if place is None:
            raise EntityInvalid("Choose the place", field="place")
        if place.force_id != actor.force_id or place.merged_into_id is not None:
            raise EntityInvalid("Choose a place of your force", field="place")
        values.update(place=place, name=place.name[:200], key=str(place.pk))
    return values


@transaction.atomic
def entity_create(*, actor, now: dt.datetime, kind: str, name: str = "", aliases=(),
                  approximate_age: int | None = None, role: str = "", description: str = "",
                  registration: str = "", make: str = "", colour: str = "", phone: str = "",
                  platform: str = "", handle: str = "", place=None) -> Entity:
    """A new entity of the actor's force. A place has one entity: asking again returns it.
    Two records of one phone or plate may exist (typed twice): they are merged, not refused."""
    if not can_use_intelligence(actor):
        raise PermissionDenied("You cannot record intelligence")
    values = _entity_values(actor=actor, kind=kind, name=name, aliases=aliases,
                            approximate_age=approximate_age, role=role,
                            description=description, registration=registration, make=make,
                            colour=colour, phone=phone, platform=platform, handle=handle,
                            place=place)
    if kind == EntityKind.PLACE:
        existing = Entity.objects.filter(force_id=actor.force_id, kind=kind, key=values["key"],
                                         merged_into__isnull=True).first()
        if existing is not None:
            return existing
    entity = Entity(force_id=actor.force_id, **values)
    entity.stamp(actor=actor, now=now)
    entity.save()
    _event(actor=actor, now=now, code=IntelligenceEvent.Code.ENTITY_CREATED, entity=entity,
           summary=f"{entity.get_kind_display()} recorded: {entity.label}")
    return entity


@transaction.atomic
def place_entity_moved(*, actor, now: dt.datetime, entity: Entity, place) -> Entity:
    """The entity of a place merged into another (casework.places.place_merge) names the place
    kept: its links, and the hub they make with the returns found there, follow the place."""
    if not can_merge_entities(actor, entity):
        raise PermissionDenied("Only supervisors and the coordinator can merge records")
    if entity.kind != EntityKind.PLACE or place.force_id != entity.force_id:
        raise EntityInvalid("Choose a place of your force", field="place")
    old = entity.label
    entity.place, entity.key, entity.name = place, str(place.pk), place.name[:200]
    entity.stamp(actor=actor, now=now)
    entity._change_reason = f"Its place was merged into {place.name}"[:100]
    entity.save()
    _event(actor=actor, now=now, code=IntelligenceEvent.Code.MERGED, entity=entity,
           summary=f"{old}: the place was merged into {entity.label}")
    return entity


def _check_choice(value: str, choices, message: str, field: str) -> None:
    if value not in choices.values:
        raise LinkInvalid(message, field=field)


@transaction.atomic
def link_create(*, actor, now: dt.datetime, child, entity: Entity, kind: str,
                occurred_on: dt.date, source: str, source_evaluation: str,
                information_assessment: str, handling_code: str = HandlingCode.P,
                episode=None, note: str = "") -> Link:
    """Join one of the force's children (and, if given, one of the child's episodes) to an
    entity of the force. Another force's child or entity is refused and nothing is saved."""
    if not can_use_intelligence(actor):
        raise PermissionDenied("You cannot record intelligence")
    if not can_link_child(actor, child):
        raise LinkInvalid("This child is not a child of your force: intelligence can only be "
                          "linked to your own force's children", field="child")
    if not can_see_entity(actor, entity):
        raise LinkInvalid("This record is not one of your force's", field="entity")
    if getattr(child, "merged_into_id", None):
        raise LinkInvalid("This child's record was merged into another: link that one",
                          field="child")
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    if entity.merged_into_id is not None:
        raise LinkInvalid("This record was merged into another: link that one", field="entity")
    if episode is not None and episode.child_id != child.pk:
        raise LinkInvalid("Choose one of this child's episodes", field="episode")
    _check_choice(kind, LinkKind, "Choose how the child is linked", "kind")
    _check_choice(source, Source, "Choose where the information came from", "source")
    _check_choice(source_evaluation, SourceEvaluation, "Choose the source evaluation (A, B or C)",
                  "source_evaluation")
    _check_choice(information_assessment, InformationAssessment,
                  "Choose the intelligence assessment (1 to 5)", "information_assessment")
    _check_choice(handling_code, HandlingCode, "Choose the handling code (P or C)",
                  "handling_code")
    if occurred_on is None:
        raise LinkInvalid("Enter the date it happened", field="occurred_on")
    if occurred_on > now.date():
        raise LinkInvalid("The date cannot be in the future", field="occurred_on")
    if kind == LinkKind.FOUND_AT and entity.kind != EntityKind.PLACE:
        raise LinkInvalid("Found at is for a place: choose found with for a person",
                          field="kind")
    link = Link(force_id=actor.force_id, child=child, episode=episode, entity=entity, kind=kind,
                occurred_on=occurred_on, source=source, source_evaluation=source_evaluation,
                information_assessment=information_assessment, handling_code=handling_code,
                note=(note or "").strip())
    link.stamp(actor=actor, now=now)
    link.save()
    _event(actor=actor, now=now, code=IntelligenceEvent.Code.LINKED, child=child, entity=entity,
           link=link, summary=f"{link.get_kind_display()} {entity.label} on "
                              f"{occurred_on:%d %B %Y} ({link.get_source_display()}, "
                              f"{link.grading})",
           data={"kind": kind, "source": source, "grading": link.grading})
    return link


@transaction.atomic
def entity_merge(*, actor, now: dt.datetime, keep: Entity, duplicate: Entity,
                 reason: str) -> EntityMerge:
    """Merge `duplicate` into `keep`: its links now name `keep`, and it is offered no more.
    Entities of different kinds are never merged."""
    if not (can_merge_entities(actor, keep) and can_merge_entities(actor, duplicate)):
        raise PermissionDenied("Only supervisors and the coordinator can merge records")
    if not (reason or "").strip():
        raise MergeRefused("Say why these are the same", field="reason")
    if keep.pk == duplicate.pk:
        raise MergeRefused("Choose two different records", field="duplicate")
    locked = {e.pk: e for e in Entity.objects.select_for_update().filter(
        pk__in=[keep.pk, duplicate.pk])}
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    if keep.kind != duplicate.kind:
        raise MergeRefused(f"A {keep.get_kind_display().lower()} cannot be merged with a "
                           f"{duplicate.get_kind_display().lower()}: only records of the same "
                           "kind are merged", field="duplicate")
    if keep.merged_into_id or duplicate.merged_into_id:
        raise MergeRefused("One of these records was merged already", field="duplicate")
    moved = [str(pk) for pk in duplicate.links.values_list("pk", flat=True)]
    Link.objects.filter(pk__in=moved).update(entity=keep, modified_at=now, modified_by=actor)
    duplicate.merged_into = keep
    duplicate.stamp(actor=actor, now=now)
    duplicate._change_reason = f"Merged into {keep.label}: {reason.strip()}"[:100]
    duplicate.save()
    merge = EntityMerge(force_id=actor.force_id, kept=keep, duplicate=duplicate,
                        reason=reason.strip()[:200], moved_links=moved)
    merge.stamp(actor=actor, now=now)
    merge.save()
    for entity in (keep, duplicate):
        _event(actor=actor, now=now, code=IntelligenceEvent.Code.MERGED, entity=entity,
               summary=f"{duplicate.label} merged into {keep.label}: {reason.strip()}",
               data={"merge": str(merge.pk), "moved_links": len(moved)})
    return merge


@transaction.atomic
def entity_unmerge(*, actor, now: dt.datetime, merge: EntityMerge, reason: str) -> EntityMerge:
    """Undo a merge: the links it moved name the duplicate again, and the duplicate is a record
    of its own again."""
    if not can_merge_entities(actor, merge.kept):
        raise PermissionDenied("Only supervisors and the coordinator can undo a merge")
    if not (reason or "").strip():
        raise MergeRefused("Say why the merge is being undone", field="reason")
    merge = EntityMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise MergeRefused("This merge was undone already")
    duplicate = Entity.objects.select_for_update().get(pk=merge.duplicate_id)
    if duplicate.merged_entities.exists() or duplicate.merged_into_id != merge.kept_id:
        raise MergeRefused("Undo the later merges of this record first")
    Link.objects.filter(pk__in=merge.moved_links, entity_id=merge.kept_id).update(
        entity=duplicate, modified_at=now, modified_by=actor)
    duplicate.merged_into = None
    duplicate.stamp(actor=actor, now=now)
    duplicate._change_reason = f"Merge undone: {reason.strip()}"[:100]
    duplicate.save()
    merge.undone_at, merge.undone_by, merge.undo_reason = now, actor, reason.strip()[:200]
    merge.stamp(actor=actor, now=now)
    merge.save()
    for entity in (merge.kept, duplicate):
        _event(actor=actor, now=now, code=IntelligenceEvent.Code.UNMERGED, entity=entity,
               summary=f"Merge of {duplicate.label} into {merge.kept.label} undone: "
                       f"{reason.strip()}", data={"merge": str(merge.pk)})
    return merge


# --- suggestions from free text -----------------------------------------------------------------

def _name_index(force_id) -> dict[str, str]:
    """Every name and street name of the force's persons of interest (lower case) -> the
    person's id. A name two persons share is left out: it would suggest the wrong one. Only the
    names are read (every return reads an interview): the person is read when named."""
    index: dict[str, str] = {}
    shared: set[str] = set()
    for pk, person_name, aliases in Entity.objects.filter(
            force_id=force_id, kind=EntityKind.PERSON, merged_into__isnull=True).values_list(
            "pk", "name", "aliases"):
        for name in Entity.names_of(person_name, aliases):
            key = name.lower()
            if key in index and index[key] != str(pk):
                shared.add(key)
            index[key] = str(pk)
    return {key: pk for key, pk in index.items() if key not in shared}


def _context(text: str, start: int, end: int, width: int = 60) -> str:
    before = text[max(0, start - width):start]
    after = text[end:end + width]
    return (("…" if start > width else "") + before + text[start:end] + after
            + ("…" if end + width < len(text) else "")).replace("\n", " ")[:300]


@transaction.atomic
def suggestions_from_text(*, actor, now: dt.datetime, child, source: str, source_ref: str,
                          text: str, episode=None) -> list[Suggestion]:
    """Read `text` (an enquiry-log entry, a prevention or return-home interview) for phone
    numbers, UK registrations and the known names of the force's persons of interest, and keep
    each as a suggestion for an officer to confirm. Links nothing. Reading the same text again
    suggests nothing twice; a value already linked to the child is not suggested. `actor` None:
    read by no one (text a partner's worker wrote), for the child's own force."""
    if actor is not None and not can_link_child(actor, child):
        return []
    if source not in Source.values:
        raise LinkInvalid("Unknown source of the text", field="source")
    text = text or ""
    names = _name_index(child.force_id)
    found = [*phones_in(text), *plates_in(text),
             *names_in(text, names)]
    if not found:
        return []
    linked = set(Link.objects.filter(child=child).values_list("entity__kind", "entity__key"))
    linked_ids = {str(pk) for pk in Link.objects.filter(child=child)
                  .values_list("entity_id", flat=True)}
    made = []
    for item in found:
        if item.kind == EntityKind.PERSON:
            if item.value in linked_ids:
                continue
            entity = Entity.objects.get(pk=item.value)
        else:
            if (item.kind, item.value) in linked:
                continue
            entity = Entity.objects.filter(force_id=child.force_id, kind=item.kind,
                                           key=item.value, merged_into__isnull=True).first()
        suggestion, created = Suggestion.objects.get_or_create(
            child=child, source_ref=source_ref[:80], kind=item.kind, value=item.value,
            defaults={"force_id": child.force_id, "episode": episode, "source": source,
                      "written": item.text[:200], "entity": entity,
                      "context": _context(text, item.start, item.end),
                      "created_at": now, "created_by": actor, "modified_at": now,
                      "modified_by": actor})
        if created:
            made.append(suggestion)
    if made:
        _event(actor=actor, now=now, code=IntelligenceEvent.Code.SUGGESTED, child=child,
               summary=f"{len(made)} suggestion{'s' if len(made) != 1 else ''} read from the "
                       f"{Source(source).label.lower()}: "
                       + ", ".join(s.written for s in made)[:400],
               data={"source_ref": source_ref, "suggestions": [str(s.pk) for s in made]})
    return made


def _open_suggestion(*, actor, suggestion: Suggestion) -> Suggestion:
    if not can_link_child(actor, suggestion.child):
        raise PermissionDenied("You cannot decide this suggestion")
    # Only the suggestion's row is locked: its episode is a nullable (outer) join, which
    # PostgreSQL cannot lock.
    suggestion = (Suggestion.objects.select_for_update(of=("self",))
                  .select_related("child", "episode").get(pk=suggestion.pk))
    if suggestion.state != Suggestion.State.OPEN:
        raise LinkInvalid("This suggestion was decided already")
    return suggestion


@transaction.atomic
def suggestion_confirm(*, actor, now: dt.datetime, suggestion: Suggestion, kind: str,
                       occurred_on: dt.date, source_evaluation: str,
                       information_assessment: str, handling_code: str = HandlingCode.P,
                       note: str = "") -> Link:
    """A person confirms a suggestion: the entity (recorded now if it is new) is linked to the
    child, with the officer's grading."""
    suggestion = _open_suggestion(actor=actor, suggestion=suggestion)
    entity = suggestion.entity
    if entity is not None and entity.merged_into_id is not None:
        while entity.merged_into_id is not None:
            entity = entity.merged_into
    if entity is None:
        if suggestion.kind == EntityKind.PHONE:
            entity = entity_create(actor=actor, now=now, kind=EntityKind.PHONE,
                                   phone=suggestion.value)
        elif suggestion.kind == EntityKind.VEHICLE:
            entity = entity_create(actor=actor, now=now, kind=EntityKind.VEHICLE,
                                   registration=suggestion.value)
        else:
            raise LinkInvalid("The person suggested is no longer recorded")
    link = link_create(actor=actor, now=now, child=suggestion.child, entity=entity, kind=kind,
                       occurred_on=occurred_on, source=suggestion.source,
                       source_evaluation=source_evaluation,
                       information_assessment=information_assessment,
                       handling_code=handling_code, episode=suggestion.episode,
                       note=note or f"Confirmed from the {suggestion.get_source_display()}: "
                                    f"{suggestion.context}")
    suggestion.state, suggestion.link, suggestion.entity = (Suggestion.State.CONFIRMED, link,
                                                            entity)
    suggestion.stamp(actor=actor, now=now)
    suggestion.save()
    return link


@transaction.atomic
def suggestion_dismiss(*, actor, now: dt.datetime, suggestion: Suggestion) -> Suggestion:
    """A person dismisses a suggestion: nothing is linked, and it is not offered again."""
    suggestion = _open_suggestion(actor=actor, suggestion=suggestion)
    suggestion.state = Suggestion.State.DISMISSED
    suggestion.stamp(actor=actor, now=now)
    suggestion.save()
    _event(actor=actor, now=now, code=IntelligenceEvent.Code.SUGGESTION_DISMISSED,
           child=suggestion.child, entity=suggestion.entity,
           summary=f"Suggestion dismissed: {suggestion.written}")
    return suggestion


# --- exploitation hubs (ADR 51) -----------------------------------------------------------------

def hub_alerted(*, child, hub_key: str) -> bool:
    """Whether the child was alerted as part of this hub (`entity:<id>` or `place:<id>`)."""
    return IntelligenceEvent.objects.filter(child=child, code=IntelligenceEvent.Code.HUB_ALERT,
                                            data__hub=hub_key).exists()


@transaction.atomic
def hub_alert_record(*, actor, now: dt.datetime, child, hub_key: str, label: str,
                     children: int, told: list, proposal=None, entity=None,
                     link=None) -> IntelligenceEvent:
    """The child's intelligence timeline: linked to an exploitation hub, who was told and
    whether a marker was proposed. Written by the hub-alert workflow in its transaction; one per
    child and hub (the workflow checks `hub_alerted` first)."""
    who = ", ".join(person.display_with_rank for person in told) or "nobody (no coordinator " \
                                                                   "or officer in the case)"
    return _event(
        actor=actor, now=now, code=IntelligenceEvent.Code.HUB_ALERT, child=child, entity=entity,
        link=link,
        summary=f"Linked to an exploitation hub: {label}, {children} children. Told at once: "
                f"{who}. " + ("Exploitation marker proposed." if proposal is not None else
                              "No marker proposed (one is active or waiting for a decision)."),
        data={"hub": hub_key, "children": children, "told": [str(p.pk) for p in told],
              "proposal": str(proposal.pk) if proposal is not None else ""})

"""Merging two records of the same child, undoing a merge exactly, and rejecting a suggested pair.

A merge retires one record (`merged`) into the other (`survivor`): every row of any app that
points at the retired record moves to the survivor, and `ChildMerge.moved` lists exactly which
rows of which model and field moved, so that undoing the merge moves exactly those rows back
and leaves with the survivor whatever was added to it afterwards. The rows that move are found
from the model graph (`Child._meta`), so a model added later is moved without changing this
module. Not moved: simple-history's historical rows (they are what the record said then),
append-only evidence rows, and the matching app's own rows (suggestions, merges, and the
identity keys, which are rebuilt). See docs/adr/0008.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db import IntegrityError, transaction
from simple_history.models import HistoricalChanges
from simple_history.utils import NotHistoricalModelError, bulk_update_with_history

from mispers.core.errors import DomainError, NotFound, PermissionDenied
from mispers.core.models import AppendOnlyModel, BaseModel
from mispers.episodes.models import Episode, TimelineEvent
from mispers.episodes.services import timeline_record
from mispers.people.models import Alias, Child

from .models import ChildMerge, DuplicateSuggestion
from .permissions import can_merge  # noqa: F401 (pages and the API import it from here)


class MergeRefused(DomainError):
    """The merge, unmerge or rejection cannot be done as asked; nothing was changed."""


# The key in ChildMerge.moved under which rows the merge created (not moved) are listed, so
# that undoing it deletes them: {"+created": {"people.alias": [pk]}}.
CREATED = "+created"


def _check_actor(actor) -> None:
    if not can_merge(actor):
        raise PermissionDenied("Only the missing persons coordinator or an inspector or above "
                               "may merge records or decide suggested pairs")


def _check_reason(reason: str, *, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise MergeRefused("Give the reason for this decision: it is kept with the record",
                           field=field)
    return reason


def movable_relations() -> Iterator[tuple[type, object]]:
    """(model, foreign key) for every foreign key or one-to-one to Child whose rows belong to
    the child and move with a merge, including hidden ones (related_name='+') and the
    through-rows of many-to-many fields."""
    for relation in Child._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete
                and (relation.one_to_many or relation.one_to_one)):
            continue
        model, fk = relation.related_model, relation.field
        if model is Child and fk.name == "merged_into":
            continue  # the merge itself
        if (model._meta.app_label == "matching" or issubclass(model, HistoricalChanges)
                or issubclass(model, AppendOnlyModel) or model._meta.proxy
                or not model._meta.managed):
            continue
        yield model, fk


def _label(model) -> str:
    return model._meta.label_lower


def _model_for(label: str):
    from django.apps import apps

    return apps.get_model(label)


def _move_rows(*, model, fk, pks: list, to: Child, actor, now: dt.datetime, reason: str) -> None:
    """Point rows `pks` of `model` at `to` through `fk`: with a history row each when the
    model keeps history, and stamped when it carries the audit fields. A unique rule that
    allows only one such row per child refuses the merge."""
    objs = list(model._base_manager.filter(pk__in=pks))
    fields = [fk.name]
    for obj in objs:
        setattr(obj, fk.name, to)
        if isinstance(obj, BaseModel):
            obj.modified_at, obj.modified_by = now, actor
    if issubclass(model, BaseModel):
        fields += ["modified_at", "modified_by"]
    try:
        with transaction.atomic():
            try:
                bulk_update_with_history(objs, model, fields, default_user=actor,
                                         default_change_reason=reason[:100],
                                         default_date=now)
            except NotHistoricalModelError:
                model._base_manager.filter(pk__in=pks).update(**{fk.attname: to.pk})
    except IntegrityError:
        raise MergeRefused(
            f"Both records have a {model._meta.verbose_name} and a child may have only one: "
            "keep one of them before merging", field="merged") from None


def _name_kept_as_alias(*, survivor: Child, merged: Child, actor, now: dt.datetime) -> list[str]:
    """The retired record's name, as an alias of the survivor unless it already has it, so a
    search for the name the child was recorded under still finds them. Undone with the merge.
    """
    def key(given: str, family: str) -> tuple[str, str]:
        return (given or "").strip().lower(), (family or "").strip().lower()

    name = key(merged.given_name, merged.family_name)
    known = {key(survivor.given_name, survivor.family_name)} | {
        key(given, family) for given, family in
        Alias.objects.filter(child=survivor).values_list("given_name", "family_name")}
    if name in known or name == ("", ""):
        return []
    alias = Alias(child=survivor, given_name=merged.given_name, family_name=merged.family_name,
                  kind=Alias.Kind.PREVIOUS)
    alias.stamp(actor=actor, now=now)
    alias._history_user, alias._history_date = actor, now
    alias._change_reason = "Name of a merged record"
    alias.save()
    return [str(alias.pk)]


def _refresh_identity_keys(*children: Child) -> None:
    try:  # the intake keys (mispers.matching.services); a merged child has none
        from .services import identity_keys_refresh
    except ImportError:  # pragma: no cover - the intake matching is not installed
        return
    for child in children:
        identity_keys_refresh(child=child)


def _locked_pair(*, actor, first, second) -> tuple[Child, Child]:
    """Both children, re-read and locked in a fixed order (no deadlock between two merges).
    Another force's child is not found."""
    locked = {c.pk: c for c in Child.objects.select_for_update().filter(
        pk__in=[first.pk, second.pk], force_id=actor.force_id).order_by("pk")}
    if first.pk not in locked or second.pk not in locked:
        raise NotFound("Child not found")
    return locked[first.pk], locked[second.pk]


def _episode_events(*, pks, actor, now: dt.datetime, code: str, summary: str,
                    data: dict) -> None:
    for episode in Episode.objects.filter(pk__in=pks).order_by("pk"):
        timeline_record(episode=episode, at=now, actor=actor, code=code, summary=summary,
                        data=data)


def _retire(child: Child, *, into: Child | None, actor, now: dt.datetime, reason: str) -> None:
    child.merged_into = into
    child.stamp(actor=actor, now=now)
    child._change_reason = reason[:100]
    child._history_user = actor
    child._history_date = now
    child.save(update_fields=["merged_into", "modified_at", "modified_by"])


@transaction.atomic
def child_merge(*, actor, now: dt.datetime, survivor: Child, merged: Child, reason: str,
                suggestion: DuplicateSuggestion | None = None) -> ChildMerge:
    """Retire `merged` into `survivor`: move every row that belongs to it, record what moved,
    write a timeline event on each moved episode and mark the suggestion (if any) merged."""
    _check_actor(actor)
    if survivor.pk == merged.pk:
        raise MergeRefused("A record cannot be merged with itself: choose two different "
                           "children", field="merged")
    reason = _check_reason(reason)
    # Both must be children of the actor's force: another force's child is not found, so a
    # merge across forces is refused without saying whether that child exists.
    survivor, merged = _locked_pair(actor=actor, first=survivor, second=merged)
    if merged.merged_into_id is not None:
        raise MergeRefused(f"{merged.full_name}'s record was already merged into another "
                           "record", field="merged")
    if survivor.merged_into_id is not None:
        raise MergeRefused(f"{survivor.full_name}'s record was merged into another record: "
                           "merge into that record instead", field="survivor")
    if suggestion is not None:
        suggestion = _locked_suggestion(actor=actor, suggestion=suggestion)
        if {str(suggestion.child_a_id), str(suggestion.child_b_id)} != {str(survivor.pk),
                                                                         str(merged.pk)}:
            raise MergeRefused("That suggestion is about a different pair of children",
                               field="suggestion")

    moved: dict[str, dict[str, list[str]]] = {}
    for model, fk in movable_relations():
        pks = list(model._base_manager.filter(**{fk.attname: merged.pk})
                   .order_by("pk").values_list("pk", flat=True))
        if pks:
            _move_rows(model=model, fk=fk, pks=pks, to=survivor, actor=actor, now=now,
                       reason=reason)
            moved.setdefault(_label(model), {})[fk.name] = [str(pk) for pk in pks]
    created = _name_kept_as_alias(survivor=survivor, merged=merged, actor=actor, now=now)
    if created:
        moved[CREATED] = {_label(Alias): created}
    _retire(merged, into=survivor, actor=actor, now=now, reason=reason)
    merge = ChildMerge.objects.create(
        force_id=survivor.force_id, survivor=survivor, merged=merged, suggestion=suggestion,
        reason=reason, moved=moved, merged_at=now, merged_by=actor)
    if suggestion is not None:
        _decide(suggestion, status=DuplicateSuggestion.Status.MERGED, actor=actor, now=now,
                reason=reason)
    _episode_events(
        pks=moved.get(_label(Episode), {}).get("child", []), actor=actor, now=now,
        code=TimelineEvent.Code.CHILD_MERGED,
        summary=f"Child's record merged: {merged.full_name}'s record was found to be the same "
                f"child as {survivor.full_name} and this episode moved to that record. "
                f"Reason: {reason}",
        data={"merge": merge.pk, "survivor": str(survivor.pk), "merged": str(merged.pk)})
    _refresh_identity_keys(survivor, merged)
    return merge


@transaction.atomic
def child_unmerge(*, actor, now: dt.datetime, merge: ChildMerge, reason: str) -> ChildMerge:
    """Undo a merge exactly: the rows it moved go back to the retired record (those still on
    the survivor), which is live again. Rows added to the survivor since stay with it."""
    _check_actor(actor)
    try:
        merge = ChildMerge.objects.select_for_update().get(pk=merge.pk,
                                                           force_id=actor.force_id)
    except ChildMerge.DoesNotExist:
        raise NotFound("Merge not found") from None
    if merge.is_undone:
        raise MergeRefused("This merge was already undone", field="merge")
    reason = _check_reason(reason)
    survivor, merged = _locked_pair(actor=actor, first=merge.survivor, second=merge.merged)
    if merged.merged_into_id != survivor.pk:
        raise MergeRefused(f"{merged.full_name}'s record is not merged into "
                           f"{survivor.full_name}'s", field="merge")
    if survivor.merged_into_id is not None:
        raise MergeRefused(f"{survivor.full_name}'s record has since been merged into another "
                           "record: undo that merge first", field="merge")
    moved_back: list[str] = []
    for label, pks in merge.moved.get(CREATED, {}).items():
        for row in _model_for(label)._base_manager.filter(pk__in=pks):
            row._history_user, row._history_date, row._change_reason = actor, now, reason[:100]
            row.delete()
    for label, fields in merge.moved.items():
        if label == CREATED:
            continue
        model = _model_for(label)
        for field_name, pks in fields.items():
            fk = model._meta.get_field(field_name)
            still_there = list(model._base_manager.filter(
                pk__in=pks, **{fk.attname: survivor.pk}).order_by("pk")
                .values_list("pk", flat=True))
            if still_there:
                _move_rows(model=model, fk=fk, pks=still_there, to=merged, actor=actor,
                           now=now, reason=reason)
            if model is Episode and field_name == "child":
                moved_back = [str(pk) for pk in still_there]
    _retire(merged, into=None, actor=actor, now=now, reason=reason)
    merge.undone_at, merge.undone_by, merge.undo_reason = now, actor, reason
    merge.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    if merge.suggestion_id is not None:
        # Back in the queue: the coordinator may merge the other way, or reject the pair.
        DuplicateSuggestion.objects.filter(pk=merge.suggestion_id).update(
            status=DuplicateSuggestion.Status.PENDING, decided_at=None, decided_by=None,
            reason="")
    _episode_events(
        pks=moved_back, actor=actor, now=now, code=TimelineEvent.Code.CHILD_UNMERGED,
        summary=f"Merge undone: {merged.full_name}'s record is separate from "
                f"{survivor.full_name}'s again and this episode is back on it. Reason: {reason}",
        data={"merge": merge.pk, "survivor": str(survivor.pk), "merged": str(merged.pk)})
    _refresh_identity_keys(survivor, merged)
    return merge


def _locked_suggestion(*, actor, suggestion: DuplicateSuggestion) -> DuplicateSuggestion:
    try:
        suggestion = DuplicateSuggestion.objects.select_for_update().get(
            pk=suggestion.pk, force_id=actor.force_id)
    except DuplicateSuggestion.DoesNotExist:
        raise NotFound("Suggestion not found") from None
    if suggestion.status != DuplicateSuggestion.Status.PENDING:
        raise MergeRefused(f"This pair was already decided "
                           f"({suggestion.get_status_display().lower()})", field="suggestion")
    return suggestion


def _decide(suggestion: DuplicateSuggestion, *, status: str, actor, now: dt.datetime,
            reason: str) -> None:
    suggestion.status, suggestion.decided_at, suggestion.decided_by = status, now, actor
    suggestion.reason = reason
    suggestion.save(update_fields=["status", "decided_at", "decided_by", "reason"])


@transaction.atomic
def suggestion_reject(*, actor, now: dt.datetime, suggestion: DuplicateSuggestion,
                      reason: str) -> DuplicateSuggestion:
    """Record that the two children are not the same child: the pair is never suggested
    again."""
    _check_actor(actor)
    suggestion = _locked_suggestion(actor=actor, suggestion=suggestion)
    reason = _check_reason(reason)
    _decide(suggestion, status=DuplicateSuggestion.Status.REJECTED, actor=actor, now=now,
            reason=reason)
    return suggestion

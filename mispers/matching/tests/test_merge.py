"""Merging two records of one child and undoing it: what moves, what is refused, what is kept."""

import datetime as dt

import pytest

from mispers.casework.children import child_create
from mispers.casework.report import episode_report
from mispers.core.errors import NotFound, PermissionDenied
from mispers.episodes.models import TimelineEvent
from mispers.matching.merge import (
    CREATED,
    MergeRefused,
    child_merge,
    child_unmerge,
    movable_relations,
    suggestion_reject,
)
from mispers.matching.models import ChildMerge, DuplicateSuggestion
from mispers.people.models import Alias, Child, Marker
from mispers.people.selectors import (
    child_for,
    child_record_for,
    children_search,
    children_visible_to,
)
from mispers.people.services import marker_add

from .merging import links, matching_rows

LATER = dt.timedelta(hours=1)


@pytest.fixture
def coordinator(force, make_user):
    return make_user(force=force, roles=["coordinator"], rank="sergeant", username="coord")


@pytest.fixture
def twins(force, coordinator, call_handler, now, child_details, report_details):
    """Two records of one child: `kept` with one episode and a marker, `retired` (recorded as
    Smyth, with an alias) with two episodes and a marker."""
    kept = child_create(actor=coordinator, now=now, force=force, details=child_details(
        given_name="Amira", family_name="Smith"))
    retired = child_create(actor=coordinator, now=now, force=force, details=child_details(
        given_name="Amira", family_name="Smyth", aliases=(("Mira", ""),)))
    for child, count in ((kept, 1), (retired, 2)):
        for n in range(count):
            at = now - dt.timedelta(days=10 * n + 1)
            episode_report(actor=call_handler, now=now, child=child, details=report_details(
                reported_at=at, last_seen_at=at - dt.timedelta(hours=2)))
        marker_add(actor=coordinator, now=now, child=child, kind="self_harm",
                   active_from=dt.date(2026, 1, 1))
    return kept, retired


def test_merge_moves_everything_of_the_retired_record_and_hides_it(twins, coordinator, now):
    kept, retired = twins
    merge = child_merge(actor=coordinator, now=now, survivor=kept, merged=retired,
                        reason="Same date of birth and placement; confirmed with the carer")

    assert kept.episodes.count() == 3 and retired.episodes.count() == 0
    assert Marker.objects.filter(child=kept).count() == 2
    assert {str(a) for a in kept.aliases.all()} == {"Mira", "Amira Smyth"}
    retired.refresh_from_db()
    assert retired.merged_into == kept
    assert set(merge.moved) == {"episodes.episode", "people.marker", "people.alias", CREATED}
    # The retired record leaves lists, searches and look-ups, but its page still opens.
    assert list(children_visible_to(user=coordinator)) == [kept]
    assert list(children_search(user=coordinator, text="Smyth")) == [kept]
    with pytest.raises(NotFound):
        child_for(user=coordinator, child_id=retired.pk)
    assert child_record_for(user=coordinator, child_id=retired.pk).merged_into == kept
    # Each moved episode says so on its timeline; the record's history says who and why.
    events = TimelineEvent.objects.filter(code=TimelineEvent.Code.CHILD_MERGED)
    assert events.count() == 2 and "confirmed with the carer" in events.first().summary
    last = retired.history.order_by("-history_id").first()
    assert last.merged_into_id == kept.pk and last.history_user == coordinator


def test_unmerge_restores_exactly_and_keeps_what_was_added_since(twins, coordinator, now,
                                                                 call_handler, report_details):
    kept, retired = twins
    before = links()
    merge = child_merge(actor=coordinator, now=now, survivor=kept, merged=retired,
                        reason="Same child")
    added = episode_report(actor=call_handler, now=now + LATER, child=kept,
                           details=report_details(reported_at=now))
    marker = marker_add(actor=coordinator, now=now + LATER, child=kept, kind="violence",
                        active_from=dt.date(2026, 3, 1))

    child_unmerge(actor=coordinator, now=now + 2 * LATER, merge=merge, reason="Wrong child")

    after = links()
    # Whatever was recorded after the merge (an episode, a marker, and what that episode
    # set off, such as a strategy-meeting flag) stays with the record it was recorded on.
    for key, rows in after.items():
        existed = {pk for pk, _ in before[key]}
        new = {(pk, child) for pk, child in rows if pk not in existed}
        assert key == "people.child.merged_into" or all(c == kept.pk for _, c in new), key
        rows -= new
    assert after == before
    assert added.child_id == kept.pk and Marker.objects.get(pk=marker.pk).child_id == kept.pk
    merge.refresh_from_db()
    assert merge.is_undone and merge.undone_by == coordinator and merge.undo_reason == "Wrong child"
    assert retired in children_visible_to(user=coordinator)
    assert TimelineEvent.objects.filter(code=TimelineEvent.Code.CHILD_UNMERGED).count() == 2


def test_movable_relations_cover_every_app_but_not_history_or_matching():
    labels = {f"{model._meta.label_lower}.{fk.name}" for model, fk in movable_relations()}
    assert {"episodes.episode.child", "people.marker.child", "people.alias.child"} <= labels
    assert not any("historical" in label for label in labels)
    assert not any(label.startswith("matching.") for label in labels)
    assert "people.child.merged_into" not in labels


def _refused(call, *, field, error=MergeRefused):
    before, rows = links(), matching_rows()
    with pytest.raises(error) as refused:
        call()
    assert links() == before and matching_rows() == rows  # nothing changed
    if field:
        assert refused.value.field == field
    return refused.value


def test_bad_merges_are_refused_with_nothing_changed(twins, coordinator, now, force,
                                                     other_force, make_user, call_handler,
                                                     child_details):
    kept, retired = twins
    stranger = child_create(actor=coordinator, now=now, force=other_force,
                            details=child_details(given_name="Amira", family_name="Smith"))

    def merge(survivor=kept, merged=retired, reason="Same child", actor=coordinator, **kw):
        return lambda: child_merge(actor=actor, now=now, survivor=survivor, merged=merged,
                                   reason=reason, **kw)

    assert "itself" in _refused(merge(merged=kept), field="merged").message
    _refused(merge(reason="  "), field="reason")
    _refused(merge(merged=stranger), field=None, error=NotFound)
    _refused(merge(actor=call_handler), field=None, error=PermissionDenied)
    third = child_create(actor=coordinator, now=now, force=force,
                         details=child_details(given_name="Amira", family_name="Smithe"))
    child_merge(actor=coordinator, now=now, survivor=kept, merged=retired, reason="Same child")
    retired.refresh_from_db()
    _refused(merge(survivor=third), field="merged")  # already merged
    _refused(merge(survivor=retired, merged=third), field="survivor")  # into a merged record


def test_bad_unmerges_and_rejections_are_refused(twins, coordinator, now, inspector,
                                                 outsider):
    kept, retired = twins
    suggestion = DuplicateSuggestion.objects.create(
        force_id=kept.force_id, child_a=min(kept, retired, key=lambda c: str(c.pk)),
        child_b=max(kept, retired, key=lambda c: str(c.pk)), match_weight=12,
        match_probability=0.99, found_at=now)
    merge = child_merge(actor=inspector, now=now, survivor=kept, merged=retired,
                        reason="Same child", suggestion=suggestion)
    suggestion.refresh_from_db()
    assert suggestion.status == "merged" and suggestion.decided_by == inspector

    _refused(lambda: child_unmerge(actor=coordinator, now=now, merge=merge, reason=""),
             field="reason")
    _refused(lambda: child_unmerge(actor=outsider, now=now, merge=merge, reason="Why"),
             field=None, error=PermissionDenied)
    _refused(lambda: suggestion_reject(actor=coordinator, now=now, suggestion=suggestion,
                                       reason="Different"), field="suggestion")
    child_unmerge(actor=coordinator, now=now, merge=merge, reason="Different children")
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"  # back in the queue, to reject or merge the other way
    _refused(lambda: child_unmerge(actor=coordinator, now=now, merge=merge, reason="Again"),
             field="merge")
    suggestion_reject(actor=coordinator, now=now, suggestion=suggestion, reason="Twins")
    _refused(lambda: child_merge(actor=coordinator, now=now, survivor=kept, merged=retired,
                                 reason="Same", suggestion=suggestion), field="suggestion")


def test_a_suggestion_about_another_pair_is_refused(twins, coordinator, now, force,
                                                    child_details):
    kept, retired = twins
    other = child_create(actor=coordinator, now=now, force=force,
                         details=child_details(given_name="Zara", family_name="Khan"))
    a, b = sorted([kept, other], key=lambda c: str(c.pk))
    suggestion = DuplicateSuggestion.objects.create(
        force_id=force.pk, child_a=a, child_b=b, match_weight=9, match_probability=0.95,
        found_at=now)
    _refused(lambda: child_merge(actor=coordinator, now=now, survivor=kept, merged=retired,
                                 reason="Same", suggestion=suggestion), field="suggestion")


def test_a_chain_of_merges_unwinds_only_in_order(twins, coordinator, now, force,
                                                 child_details):
    kept, retired = twins
    third = child_create(actor=coordinator, now=now, force=force, details=child_details())
    first = child_merge(actor=coordinator, now=now, survivor=kept, merged=retired, reason="A")
    second = child_merge(actor=coordinator, now=now, survivor=third, merged=kept, reason="B")
    _refused(lambda: child_unmerge(actor=coordinator, now=now, merge=first, reason="Undo"),
             field="merge")
    child_unmerge(actor=coordinator, now=now, merge=second, reason="Undo B")
    child_unmerge(actor=coordinator, now=now, merge=first, reason="Undo A")
    assert ChildMerge.objects.filter(undone_at__isnull=True).count() == 0
    assert Child.objects.filter(merged_into__isnull=False).count() == 0
    assert retired.episodes.count() == 2 and kept.episodes.count() == 1


def test_merge_keeps_the_identity_keys_in_step(twins, coordinator, now):
    from mispers.matching.models import IdentityKey

    kept, retired = twins
    merge = child_merge(actor=coordinator, now=now, survivor=kept, merged=retired, reason="A")
    assert not IdentityKey.objects.filter(child=retired).exists()
    assert IdentityKey.objects.filter(child=kept, given_norm="mira").exists()  # its alias
    child_unmerge(actor=coordinator, now=now, merge=merge, reason="B")
    assert IdentityKey.objects.filter(child=retired, given_norm="mira").exists()
    assert not IdentityKey.objects.filter(child=kept, given_norm="mira").exists()
    assert not Alias.objects.filter(child=kept, family_name="Smyth").exists()

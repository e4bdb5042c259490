"""The merge review pages: who sees them, what they show, and deciding a pair by form post."""

import datetime as dt

import pytest
from django.urls import reverse

from mispers.accounts.models import AccessLog
from mispers.casework.children import child_create
from mispers.core.testing import page_text
from mispers.matching.merge import child_merge
from mispers.matching.models import ChildMerge, DuplicateSuggestion
from mispers.people.models import Child
from mispers.people.services import ChildDetails


@pytest.fixture
def coordinator(force, make_user):
    return make_user(force=force, roles=["coordinator"], rank="sergeant", username="coord")


@pytest.fixture
def pair(force, coordinator, now):
    """A suggested pair: Amira Smith and Amira Smyth (<script> in an alias, to be escaped)."""
    a = child_create(actor=coordinator, now=now, force=force, details=ChildDetails(
        given_name="Amira", family_name="Smith", date_of_birth=dt.date(2011, 6, 1),
        sex="female", home_address="12 Church Lane, Exeter"))
    b = child_create(actor=coordinator, now=now, force=force, details=ChildDetails(
        given_name="Amira", family_name="Smyth", date_of_birth=dt.date(2011, 6, 1),
        sex="female", aliases=(("<script>x</script>", ""),)))
    a, b = sorted([a, b], key=lambda c: str(c.pk))
    suggestion = DuplicateSuggestion.objects.create(
        force=force, child_a=a, child_b=b, match_weight=14.2, match_probability=0.9999,
        found_at=now, explanation=[
            {"field": "family_name", "level": "close", "weight": 4.3,
             "label": f"Family name: close spelling ({a.family_name} / {b.family_name})"},
            {"field": "address", "level": "missing", "weight": 0,
             "label": "Address: not recorded on one record"}])
    return suggestion


def _client(client, user):
    client.force_login(user)
    return client


def test_the_queue_shows_pairs_side_by_side_and_logs_each_child(client, coordinator, pair):
    response = _client(client, coordinator).get(reverse("matching:queue"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Amira Smith and Amira Smyth" in page or "Amira Smyth and Amira Smith" in page
    assert "Family name: close spelling" in page and "Agrees +4.3" in page
    assert "Merge: keep Amira Smith" in page and "Not the same child" in page
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page
    assert set(AccessLog.objects.filter(user=coordinator).values_list("child_id", flat=True)) \
        == {pair.child_a_id, pair.child_b_id}
    assert reverse("matching:queue") in _client(client, coordinator).get(
        reverse("episodes:open")).content.decode()  # in the navigation


def test_call_handlers_and_other_forces_are_kept_out(client, call_handler, other_force,
                                                    make_user, pair):
    assert _client(client, call_handler).get(reverse("matching:queue")).status_code == 403
    assert reverse("matching:queue") not in page_text(client.get(reverse("episodes:open")))
    elsewhere = make_user(force=other_force, roles=["inspector"], rank="inspector")
    _client(client, elsewhere)
    assert client.get(reverse("matching:suggestion", args=[pair.pk])).status_code == 404
    assert "Amira" not in page_text(client.get(reverse("matching:queue")))


def test_merging_from_the_queue(client, coordinator, pair):
    url = reverse("matching:suggestion", args=[pair.pk])
    refused = _client(client, coordinator).post(url, {"decision": "keep_b",
                                                       f"s{pair.pk}-reason": ""})
    assert refused.status_code == 400 and "Give the reason" in refused.content.decode()
    assert not ChildMerge.objects.exists()

    done = client.post(url, {"decision": "keep_b", f"s{pair.pk}-reason": "Same placement"},
                       follow=True)
    assert "record was merged into" in done.content.decode()
    merge = ChildMerge.objects.get()
    assert (merge.survivor_id, merge.merged_id) == (pair.child_b_id, pair.child_a_id)
    pair.refresh_from_db()
    assert pair.status == "merged" and pair.reason == "Same placement"
    # The retired record's page says where the child went, with undo for the coordinator.
    page = client.get(reverse("people:detail", args=[pair.child_a_id])).content.decode()
    assert "This record was merged into" in page and "Same placement" in page
    assert reverse("matching:merge_undo", args=[merge.pk]) in page


def test_rejecting_from_the_queue(client, coordinator, pair):
    url = reverse("matching:suggestion", args=[pair.pk])
    response = _client(client, coordinator).post(
        url, {"decision": "reject", f"s{pair.pk}-reason": "Cousins"}, follow=True)
    assert "are not the same child" in response.content.decode()
    pair.refresh_from_db()
    assert pair.status == "rejected" and pair.decided_by == coordinator
    assert "No pairs are waiting" in client.get(reverse("matching:queue")).content.decode()


def test_history_and_undo(client, coordinator, pair, now):
    survivor = Child.objects.get(pk=pair.child_a_id)
    merged = Child.objects.get(pk=pair.child_b_id)
    merge = child_merge(actor=coordinator, now=now, survivor=survivor, merged=merged,
                        reason="Same", suggestion=pair)
    _client(client, coordinator)
    history = client.get(reverse("matching:merges")).content.decode()
    assert "Undo merge" in history and merged.full_name in history
    url = reverse("matching:merge_undo", args=[merge.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "Different children"}, follow=True)
    assert "Merge undone" in response.content.decode()
    merge.refresh_from_db()
    assert merge.is_undone
    assert "Different children" in client.get(reverse("matching:merges")).content.decode()


def test_inspectors_may_merge(client, inspector, pair):
    assert _client(client, inspector).get(reverse("matching:queue")).status_code == 200

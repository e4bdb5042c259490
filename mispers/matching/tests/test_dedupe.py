"""The batch duplicate finder: which pairs it finds, how it explains them, and the queue it
fills (never twice, never a rejected pair, never a merged child)."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mispers.casework.children import child_create
from mispers.matching.dedupe import dedupe_run, duplicate_pairs_find
from mispers.matching.dedupe.records import address_std, name_std, records_table, swapped
from mispers.matching.merge import child_merge, suggestion_reject
from mispers.matching.models import DuplicateSuggestion
from mispers.people.services import ChildDetails

D = dt.date

# Different children: a small force's worth of ordinary records.
OTHERS = [
    ("Jack", "Turner", D(2011, 2, 3), "male", "4 Mill Street, Exeter"),
    ("Olivia", "Brown", D(2012, 7, 19), "female", "18 Fore Street, Truro"),
    ("Mohammed", "Khan", D(2010, 11, 30), "male", "2 Elm Grove, Plymouth"),
    ("Chloe", "Evans", D(2013, 4, 8), "female", "77 Rowan Way, Torquay"),
    ("Kai", "Nowak", D(2009, 9, 14), "male", "9 Moor View, Bodmin"),
    ("Amara", "Okafor", D(2012, 1, 27), "female", "31 Castle Road, Newquay"),
    ("Leo", "Pascoe", D(2014, 6, 6), "male", "5 Harbour View, Falmouth"),
    ("Jack", "Turner", D(2008, 12, 1), "male", "60 Station Road, Barnstaple"),  # namesake
]
# Pairs of records of one child, each with a different recording error.
TWINS = [
    (("Amira", "Smith", D(2011, 6, 1), "female", "12 Church Lane, Exeter"),
     ("Amira", "Smyth", D(2011, 6, 1), "female", "12 Church Lane, Exeter")),
    (("Kayleigh", "Rowe", D(2010, 3, 4), "female", "8 Park Avenue, Plymouth"),
     ("Kayleigh", "Rowe", D(2010, 4, 3), "female", "")),
    (("Callum", "Hughes", D(2012, 9, 21), "male", "40 Queens Road, Paignton"),
     ("Calum", "Hughes", D(2012, 9, 21), "not_known", "40 Queens Rd, Paignton")),
]


def _record(force, actor, now, given, family, born, sex, home):
    return child_create(actor=actor, now=now, force=force, details=ChildDetails(
        given_name=given, family_name=family, date_of_birth=born, sex=sex, home_address=home))


@pytest.fixture
def coordinator(force, make_user):
    return make_user(force=force, roles=["coordinator"], rank="sergeant", username="coord")


@pytest.fixture
def records(force, coordinator, now):
    for values in OTHERS:
        _record(force, coordinator, now, *values)
    twins = [tuple(_record(force, coordinator, now, *values) for values in pair)
             for pair in TWINS]
    return twins


def _key(a, b):
    return tuple(sorted([str(a.pk), str(b.pk)]))


def test_finds_the_duplicates_and_only_them_with_explanations(records, force):
    pairs = duplicate_pairs_find(force_code=force.pk)

    assert {(str(p.child_a_id), str(p.child_b_id)) for p in pairs} == {
        _key(a, b) for a, b in records}
    assert all(str(p.child_a_id) < str(p.child_b_id) for p in pairs)
    assert {p.child_a_id for p in pairs} <= {c.pk for pair in records for c in pair}  # UUIDs
    assert [p.match_weight for p in pairs] == sorted((p.match_weight for p in pairs),
                                                     reverse=True)
    labels = {str(p.child_a_id): [item["label"] for item in p.explanation] for p in pairs}
    smith = labels[_key(*records[0])[0]]
    assert "Family name: close spelling (Smith / Smyth)" in smith or (
        "Family name: close spelling (Smyth / Smith)" in smith)
    assert "Date of birth: the same (1 Jun 2011)" in smith
    rowe = labels[_key(*records[1])[0]]
    assert any(label.startswith("Date of birth: day and month swapped") for label in rowe)
    assert "Address: not recorded on one record" in rowe
    hughes = next(p for p in pairs if str(p.child_a_id) == _key(*records[2])[0])
    by_field = {item["field"]: item for item in hughes.explanation}
    assert by_field["address"]["level"] == "same"  # "Rd" is "Road"
    assert by_field["sex"]["weight"] == 0  # not known on one record: no evidence either way
    assert by_field["given_name"]["weight"] > 0 and by_field["family_name"]["weight"] > 0


def test_an_alias_can_be_what_matches(force, coordinator, now):
    _record(force, coordinator, now, "Jack", "Turner", D(2011, 2, 3), "male", "")
    child_create(actor=coordinator, now=now, force=force, details=ChildDetails(
        given_name="Kieran", family_name="Walsh", date_of_birth=D(2011, 2, 3), sex="male",
        aliases=(("Jack", "Turner"),)))
    _record(force, coordinator, now, "Oscar", "Hall", D(2013, 5, 5), "male", "")
    (pair,) = duplicate_pairs_find(force_code=force.pk)
    assert {item["label"] for item in pair.explanation} >= {
        "Given name: the same (Jack)", "Family name: the same (Turner)"}


def test_run_fills_the_queue_once_and_never_again_for_a_decided_pair(records, force,
                                                                     coordinator, now):
    first = dedupe_run(force=force, actor=None, now=now)
    assert (first.suggested, first.already_known, first.children) == (3, 0, 14)
    pending = DuplicateSuggestion.objects.filter(force=force, status="pending")
    assert pending.count() == 3
    assert all(s.explanation and s.match_probability >= 0.9 for s in pending)

    again = dedupe_run(force=force, actor=None, now=now)
    assert (again.suggested, again.already_known) == (0, 3)

    rowe = DuplicateSuggestion.objects.get(child_a_id=_key(*records[1])[0])
    suggestion_reject(actor=coordinator, now=now, suggestion=rowe, reason="Twins")
    smith_a, smith_b = records[0]
    child_merge(actor=coordinator, now=now, survivor=smith_a, merged=smith_b, reason="Same")
    third = dedupe_run(force=force, actor=None, now=now)
    assert (third.suggested, third.children) == (0, 13)  # the merged record is not compared
    assert DuplicateSuggestion.objects.get(pk=rowe.pk).status == "rejected"
    assert DuplicateSuggestion.objects.filter(force=force).count() == 3


def test_other_forces_children_are_never_paired(records, force, other_force, coordinator,
                                                now):
    _record(other_force, coordinator, now, "Amira", "Smith", D(2011, 6, 1), "female",
            "12 Church Lane, Exeter")
    assert len(duplicate_pairs_find(force_code=force.pk)) == 3
    assert duplicate_pairs_find(force_code=other_force.pk) == []


def test_the_command_prints_counts_and_refuses_an_unknown_force(records, force):
    out = StringIO()
    call_command("dedupe", "--force", force.pk, stdout=out)
    assert json.loads(out.getvalue()) == {"children": 14, "pairs_found": 3, "suggested": 3,
                                          "already_known": 0, "skipped_merged": 0}
    with pytest.raises(CommandError, match="No force has the code 'atlantis'"):
        call_command("dedupe", "--force", "atlantis", stdout=StringIO())
    with pytest.raises(CommandError, match="between 0 and 1"):
        call_command("dedupe", "--force", force.pk, "--threshold", "1.5", stdout=StringIO())


def test_a_lower_threshold_finds_more(records, force, coordinator, now):
    _record(force, coordinator, now, "Olivia", "Browne", D(2012, 7, 29), "female", "")
    strict = duplicate_pairs_find(force_code=force.pk)
    loose = duplicate_pairs_find(force_code=force.pk, threshold=0.01)
    assert len(loose) > len(strict)


def test_standardising_values():
    assert name_std("O'Brien-Smith") == "obriensmith" and name_std("Zoë") == "zoe"
    assert name_std("  ") is None
    assert address_std("12 Church Ln,\nExeter") == "12 church lane exeter"
    assert swapped(D(2011, 3, 4)) == D(2011, 4, 3)
    assert swapped(D(2011, 3, 14)) is None and swapped(D(2011, 5, 5)) is None
    table = records_table([("c1", "Amy", "Hall", None, "not_known", "", "")],
                          [("c1", "Aimee", "")])
    assert table.column("show_given_name").to_pylist() == ["Amy", "Aimee"]
    assert table.column("family_std").to_pylist() == ["hall", "hall"]
    assert table.column("sex").to_pylist() == [None, None]

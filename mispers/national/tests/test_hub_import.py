"""The national hub's import (issue 13, ADR 45): force files load whole or not at all, a file
loaded twice changes nothing, a file out of sequence is refused, a rejected file leaves only its
report, and full-then-incremental gives the same national records as one full extract."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from mispers.casework.children import child_update
from mispers.exchange.tests.conftest import export
from mispers.matching.merge import child_merge
from mispers.national import services
from mispers.national.models import ForceFile, NationalRecord
from mispers.national.services import hub_import

pytestmark = pytest.mark.django_db


def held() -> set:
    return {(r.force_code, r.kind, r.record_id, r.seq, repr(sorted(r.data.items())))
            for r in NationalRecord.objects.all()}


def load(path, now):
    return hub_import(actor=None, now=now, path=Path(path))


def correct_and_merge(history, now, call_handler, child_details):
    zara = history["zara"].child
    child_update(actor=call_handler, now=now, child=zara,
                 details=child_details(given_name="Zara", family_name="Okafor-Bell",
                                       date_of_birth=zara.date_of_birth),
                 reason="Surname spelt wrongly at the report")
    child_merge(actor=history["coordinator"], now=now, survivor=history["amira"].child,
                merged=history["again"].child, reason="The same girl")


def test_full_then_incremental_gives_what_one_full_extract_gives(
        force, history, tmp_path, now, call_handler, child_details):
    (tmp_path / "first").mkdir()
    (tmp_path / "later").mkdir()
    full, lines = export(force, tmp_path / "first")
    outcome = load(full, now)
    assert outcome.status == "loaded", outcome.message
    assert NationalRecord.objects.count() == len(lines) - 1
    assert {r.file_id for r in NationalRecord.objects.all()} == {outcome.file.pk}  # provenance
    correct_and_merge(history, now, call_handler, child_details)
    increment, _ = export(force, tmp_path / "first", "--since", str(lines[0]["sequence"]["to"]))
    assert load(increment, now).status == "loaded"
    stepwise = held()
    zara = NationalRecord.objects.get(kind="child", record_id=str(history["zara"].child.pk))
    assert zara.data["family_name"] == "Okafor-Bell"
    assert zara.file_id != outcome.file.pk   # the correction came with the second file
    NationalRecord.objects.all().delete()
    ForceFile.objects.all().delete()
    whole, _ = export(force, tmp_path / "later")
    assert load(whole, now).status == "loaded"
    assert held() == stepwise


def test_the_same_file_twice_changes_nothing(force, history, tmp_path, now):
    full, _ = export(force, tmp_path)
    load(full, now)
    before, files = held(), ForceFile.objects.count()
    again = load(full, now)
    assert again.status == "skipped" and "already loaded" in again.message
    assert held() == before and ForceFile.objects.count() == files


def test_files_out_of_sequence_are_refused(force, history, tmp_path, now, call_handler,
                                           child_details):
    full, lines = export(force, tmp_path)
    to = lines[0]["sequence"]["to"]
    correct_and_merge(history, now, call_handler, child_details)
    increment, _ = export(force, tmp_path, "--since", str(to))
    first = load(increment, now)
    assert first.status == "rejected" and "send a full extract first" in first.message
    assert not NationalRecord.objects.exists()
    load(full, now)
    assert load(increment, now).status == "loaded"
    newer = ForceFile.objects.get(after=to, status="loaded").to
    assert load(full, now).status == "skipped"
    older_full = load(full, now)  # the same full file: already loaded, not "older"
    assert older_full.status == "skipped"
    gap, _ = export(force, tmp_path, "--since", "1")
    refused = load(gap, now)
    assert refused.status == "rejected"
    assert f"holds {force.pk}'s changes up to {newer}, and this file holds those after 1" \
        in refused.message


def test_a_file_that_fails_validation_leaves_only_its_report(force, history, tmp_path,
                                                             now):
    full, _ = export(force, tmp_path)
    text = Path(full).read_text().replace('"sex":"female"', '"sex":"girl"', 1)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(text)
    outcome = load(bad, now)
    assert outcome.status == "rejected" and not NationalRecord.objects.exists()
    report = ForceFile.objects.get()
    assert report.status == "rejected" and report.problem_count == 2   # the line, the checksum
    assert any(": sex: 'girl' is not one of" in problem for problem in report.problems)


def test_an_import_killed_half_way_leaves_nothing(force, history, tmp_path, now,
                                                  monkeypatch):
    full, _ = export(force, tmp_path)
    monkeypatch.setattr(services, "BATCH", 3)
    real = NationalRecord.objects.bulk_create
    calls = []

    def dies_on_the_second_batch(rows, *args, **kwargs):
        calls.append(len(rows))
        if len(calls) == 2:
            raise MemoryError("killed")
        return real(rows, *args, **kwargs)

    monkeypatch.setattr(NationalRecord.objects, "bulk_create", dies_on_the_second_batch)
    with pytest.raises(MemoryError):
        load(full, now)
    assert calls[0] == 3
    assert not NationalRecord.objects.exists() and not ForceFile.objects.exists()


def test_the_command_loads_a_folder_in_order_and_exits_1_on_a_rejection(
        force, history, tmp_path, now, call_handler, child_details):
    full, lines = export(force, tmp_path)
    correct_and_merge(history, now, call_handler, child_details)
    increment, _ = export(force, tmp_path, "--since", str(lines[0]["sequence"]["to"]))
    out = io.StringIO()
    call_command("hub", "import", str(tmp_path), stdout=out)
    printed = out.getvalue().splitlines()
    assert printed[0].startswith(f"{Path(full).name}: loaded")
    assert printed[1].startswith(f"{Path(increment).name}: loaded")
    (tmp_path / "zz-broken.jsonl").write_text("not json\n")
    out = io.StringIO()
    with pytest.raises(SystemExit) as status:
        call_command("hub", "import", str(tmp_path), stdout=out)
    assert status.value.code == 1
    assert "zz-broken.jsonl: rejected, 1 problem" in out.getvalue()
    assert out.getvalue().count("already loaded") == 2

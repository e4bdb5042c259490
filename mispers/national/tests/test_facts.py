"""The national incidents (ADR 48): made in the transaction that loads a file, so a failed file
leaves none; made again for what a later incremental file corrects, merges or deletes, so that
the tables equal those of one full extract; made for data already held by the migration; and
the database's tables equal the plain-Python reference on a synthetic national year."""

import datetime as dt
import importlib
import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from mispers.exchange.services import header_for
from mispers.exchange.tests.conftest import export
from mispers.national import facts
from mispers.national.dashboard import force_counts
from mispers.national.models import ForceFile, NationalIncident, NationalRecord
from mispers.national.services import hub_import
from mispers.national.tables import Year, national_tables
from mispers.national.tests.reference import as_dicts, python_force_counts, python_tables
from mispers.national.tests.test_hub_import import correct_and_merge
from mispers.synth.national import national_synth

pytestmark = pytest.mark.django_db
YEAR = Year.parse("2025-26")


def load(path, now):
    outcome = hub_import(actor=None, now=now, path=Path(path))
    assert outcome.status == "loaded", outcome.message
    return outcome


def incidents() -> set:
    fields = [f.name for f in NationalIncident._meta.fields if f.name != "id"]
    return set(NationalIncident.objects.values_list(*fields))


def hub_cleared():
    NationalIncident.objects.all().delete()
    NationalRecord.objects.all().delete()
    ForceFile.objects.all().delete()


def test_each_counted_incident_has_its_row_when_the_file_loads(force, history, tmp_path, now):
    full, lines = export(force, tmp_path)
    load(full, now)
    episodes = {line["id"] for line in lines if line["kind"] == "episode"
                and line["state"] != "withdrawn"}
    rows = NationalIncident.objects.filter(force_code=force.pk)
    assert set(rows.values_list("episode_id", flat=True)) == episodes
    amira = rows.get(episode_id=str(history["amira"].pk))
    assert (amira.year, amira.age_band, amira.sex, amira.grade, amira.exploitation,
            amira.duration_band, amira.condition, amira.found_by) == (
        2025, "14_15", "female", "high", True, "under_24h", "safe_and_well", "police")
    assert amira.child_key == f"{force.pk}:{amira.child_id}"


def test_a_file_that_fails_while_its_rows_are_made_leaves_nothing(force, history, tmp_path,
                                                                  now, monkeypatch):
    full, _ = export(force, tmp_path)

    def dies(*args, **kwargs):
        raise MemoryError("killed")

    monkeypatch.setattr(facts, "_write", dies)
    with pytest.raises(MemoryError):
        hub_import(actor=None, now=now, path=Path(full))
    assert not NationalIncident.objects.exists() and not NationalRecord.objects.exists()
    assert not ForceFile.objects.exists()


def test_a_correction_and_merge_sent_later_give_the_tables_of_one_full_extract(
        force, history, tmp_path, now, call_handler, child_details):
    (tmp_path / "first").mkdir()
    (tmp_path / "later").mkdir()
    full, lines = export(force, tmp_path / "first")
    load(full, now)
    before = as_dicts(national_tables(year=YEAR))
    correct_and_merge(history, now, call_handler, child_details)
    increment, _ = export(force, tmp_path / "first", "--since", str(lines[0]["sequence"]["to"]))
    load(increment, now)
    stepwise, rows = as_dicts(national_tables(year=YEAR)), incidents()
    assert stepwise != before   # the merge made Amira's second incident a repeat
    assert stepwise["incidents"][force.pk]["repeat_incidents"] == 1
    assert stepwise == as_dicts(python_tables(year=YEAR))
    hub_cleared()
    whole, _ = export(force, tmp_path / "later")
    load(whole, now)
    assert incidents() == rows
    assert as_dicts(national_tables(year=YEAR)) == stepwise


def test_deletions_sent_later_take_away_what_they_counted(force, history, tmp_path, now):
    full, lines = export(force, tmp_path)
    load(full, now)
    to = lines[0]["sequence"]["to"]
    gone = [line for line in lines[1:] if line["kind"] in ("outcome", "marker")]
    assert gone
    body = [json.dumps({"kind": "deletion", "id": line["id"], "seq": to + n, "of": line["kind"]},
                       separators=(",", ":")) for n, line in enumerate(gone, start=1)]
    header = header_for(force_code=force.pk, profile="full", after=to, to=to + len(gone),
                        lines=body)
    increment = tmp_path / "deletions.jsonl"
    increment.write_text("\n".join([json.dumps(header), *body]) + "\n")
    load(increment, now)
    stepwise = as_dicts(national_tables(year=YEAR))
    assert stepwise["outcome"] == {} and stepwise["found_by"] == {}
    assert stepwise["vulnerability"][force.pk]["exploitation"] == 0   # Amira's marker gone
    assert stepwise == as_dicts(python_tables(year=YEAR))
    rows = incidents()
    hub_cleared()
    kept = [json.dumps(line, separators=(",", ":")) for line in lines[1:] if line not in gone]
    header = header_for(force_code=force.pk, profile="full", after=0, to=to, lines=kept)
    again = tmp_path / "without.jsonl"
    again.write_text("\n".join([json.dumps(header), *kept]) + "\n")
    load(again, now)
    assert incidents() == rows and as_dicts(national_tables(year=YEAR)) == stepwise


def test_the_migration_and_the_command_make_the_rows_of_what_is_held(force, history, tmp_path,
                                                                    now):
    full, _ = export(force, tmp_path)
    load(full, now)
    made = incidents()
    NationalIncident.objects.all().delete()
    migration = importlib.import_module("mispers.national.migrations.0003_incidents")
    migration.backfill(apps, None)
    assert incidents() == made
    NationalIncident.objects.all().delete()
    printed = io.StringIO()
    call_command("hub", "facts", stdout=printed)
    assert incidents() == made
    assert printed.getvalue().startswith(f"National incidents made again: {len(made)} ")


def test_the_tables_equal_the_plain_python_reference_on_a_national_year(tmp_path, now):
    made = national_synth(year_first=YEAR.first, seed=7, out=tmp_path, scale=0.004)
    for path in made.files:
        load(path, now)
    for year in (YEAR, Year(YEAR.first - 1)):
        counted = as_dicts(national_tables(year=year))
        assert counted == as_dicts(python_tables(year=year))
        # The dashboard's measures too, force by force.
        dashboard = force_counts(year=year)
        held = {force: tally for force, tally in python_force_counts(year=year).items()
                if tally["incidents"]}     # a force with nothing that year is not drawn
        assert dashboard == held
    this_year = force_counts(year=YEAR).values()
    assert sum(c["prevention_held"] for c in this_year) > 0
    assert sum(c["referrals"] for c in this_year) > sum(c["rhi_in_72h"] for c in this_year) > 0
    assert counted["incidents"]["england-and-wales"]["individuals"] == 0
    assert as_dicts(national_tables(year=YEAR))["incidents"]["england-and-wales"][
        "incidents"] == made.calibration["child_incidents"]


def test_an_interview_offered_later_counts_on_the_dashboard_as_in_one_full_extract(
        force, history, tmp_path, now, officer):
    """Amira's return-home interview is offered after the first extract (within 72 hours of
    her being found): the incremental file brings the offer to her incident's row."""
    from mispers.casework.interviews import return_interview_workflow
    from mispers.partners.services.interviews import interview_of_episode

    (tmp_path / "first").mkdir()
    (tmp_path / "later").mkdir()
    full, lines = export(force, tmp_path / "first")
    load(full, now)
    assert force_counts(year=YEAR)[force.pk]["rhi_in_72h"] == 0
    amira = history["amira"]
    found_at = amira.found.found_at
    return_interview_workflow(actor=officer, now=now, interview=interview_of_episode(
        episode=amira), offered_at=found_at + dt.timedelta(hours=30))
    increment, _ = export(force, tmp_path / "first", "--since", str(lines[0]["sequence"]["to"]))
    load(increment, now)
    stepwise, rows = force_counts(year=YEAR), incidents()
    assert (stepwise[force.pk]["referrals"], stepwise[force.pk]["rhi_in_72h"]) == (1, 1)
    assert stepwise == python_force_counts(year=YEAR)
    hub_cleared()
    whole, _ = export(force, tmp_path / "later")
    load(whole, now)
    assert incidents() == rows and force_counts(year=YEAR) == stepwise

"""The national tables (issue 13): on a small extract whose every figure is known by hand,
loaded for two forces, each table is right for each force and England and Wales, merges are
followed, and `mispers hub tables` writes CSV, HTML and PDF, suppressed when published."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mispers.exchange.tests.conftest import export
from mispers.matching.merge import child_merge
from mispers.national.services import hub_import
from mispers.national.tables import ENGLAND_AND_WALES, Year, national_tables

pytestmark = pytest.mark.django_db
EW = ENGLAND_AND_WALES


def as_force(path: str, code: str, folder: Path) -> Path:
    """The same file as another force sent it (the header names the force; the checksum is of
    the records, so it still holds)."""
    lines = Path(path).read_text().splitlines()
    header = json.loads(lines[0]) | {"force": code}
    copy = folder / f"{code}.jsonl"
    copy.write_text("\n".join([json.dumps(header), *lines[1:]]) + "\n")
    return copy


@pytest.fixture
def hub(force, history, tmp_path, now):
    """The history's three March 2026 episodes, sent by the demo force and again by Kent:
    Amira (14, high, found by police safe and well after 10 hours, a criminal-exploitation
    marker from the day she went), Zara (16, medium, still missing), Amirah (14, not graded,
    still missing): all girls, Pakistani, looked after, missing from care."""
    full, _ = export(force, tmp_path)
    for path in (Path(full), as_force(full, "kent", tmp_path)):
        assert hub_import(actor=None, now=now, path=path).status == "loaded"
    return national_tables(year=Year.parse("2025-26"))


def test_each_table_for_each_force_and_england_and_wales(hub, force):
    for area, times in ((force.pk, 1), ("kent", 1), (EW, 2)):
        assert hub.incidents[area] == {"incidents": 3 * times, "individuals": 3 * times,
                                       "repeat_incidents": 0, "missing_from_care": 3 * times}
        assert hub.by_age_sex[area] == {("14_15", "female"): 2 * times,
                                        ("16_17", "female"): 1 * times}
        assert hub.ethnicity[area] == {("self_defined", "asian"): 3 * times,
                                       ("observed", "not_recorded"): 3 * times}
        assert hub.grade_age_sex[area] == {("high", "14_15", "female"): times,
                                           ("medium", "16_17", "female"): times,
                                           ("not_graded", "14_15", "female"): times}
        assert hub.vulnerability[area] == {"looked_after": 3 * times, "exploitation": times,
                                           "mental_health": 0}
        assert hub.duration[area] == {"under_24h": times, "still_missing": 2 * times}
        assert hub.outcome[area] == {"safe_and_well": times}
        assert hub.found_by[area] == {"police": times}
    assert national_tables(year=Year.parse("2024-25")).incidents[EW]["incidents"] == 0


def test_a_merge_sent_later_joins_the_childs_episodes(force, history, tmp_path, now):
    full, lines = export(force, tmp_path)
    hub_import(actor=None, now=now, path=Path(full))
    child_merge(actor=history["coordinator"], now=now, survivor=history["amira"].child,
                merged=history["again"].child, reason="The same girl")
    increment, _ = export(force, tmp_path, "--since", str(lines[0]["sequence"]["to"]))
    hub_import(actor=None, now=now, path=Path(increment))
    tables = national_tables(year=Year.parse("2025-26"))
    assert tables.incidents[force.pk]["individuals"] == 2
    assert tables.incidents[force.pk]["repeat_incidents"] == 1   # Amira again, 30 hours on
    assert tables.vulnerability[force.pk]["exploitation"] == 2   # her marker, both times


def test_the_command_writes_csv_html_and_pdf_suppressed_when_published(hub, tmp_path):
    out = tmp_path / "tables"
    out.mkdir()
    printed = io.StringIO()
    call_command("hub", "tables", "--year", "2025-26", "--out", str(out), "--published",
                 stdout=printed)
    assert "National tables 2025-26: 2 forces, 6 incidents" in printed.getvalue()
    rows = list(csv.DictReader((out / "age_sex.csv").open()))
    national = {(r["age_band"], r["sex"]): r["incidents"] for r in rows if r["area"] == EW}
    assert national == {("14_15", "female"): "fewer than 5", ("16_17", "female"): "fewer than 5"}
    incidents = {(r["area"], r["measure"]): r["incidents"]
                 for r in csv.DictReader((out / "incidents.csv").open())}
    assert incidents[(EW, "incidents")] == "6" and incidents[("kent", "incidents")] \
        == "fewer than 5"
    assert (out / "national-tables.pdf").read_bytes().startswith(b"%PDF")
    html = (out / "national-tables.html").read_text()
    assert "Incidents by initial risk grade, age band and sex" in html and "Amira" not in html
    completeness = list(csv.DictReader((out / "completeness.csv").open()))
    assert {r["force"] for r in completeness} == {"devon-and-cornwall", "kent"}


@pytest.mark.parametrize("args, message", [
    (["--year", "2025"], "A year is a financial year like 2025-26"),
    (["--year", "2025-27"], "A year is a financial year like 2025-26"),
    (["--out", "/nonexistent/folder"], "No folder"),
])
def test_bad_input_is_one_clear_line(tmp_path, args, message):
    options = {"--year": "2025-26", "--out": str(tmp_path)}
    options.update(dict(zip(args[::2], args[1::2], strict=True)))
    with pytest.raises(CommandError, match=message):
        call_command("hub", "tables", *[part for pair in options.items() for part in pair])
    assert list(tmp_path.iterdir()) == []


def test_the_national_unit_reads_and_downloads_the_tables(client, make_user, hub):
    client.force_login(make_user(force=None, roles=["national_unit"], username="nmpu"))
    page = client.get("/national/tables/", {"year": "2025-26"}).content.decode()
    assert "National tables 2025-26" in page and 'data-table="grade_age_sex"' in page
    download = client.get("/national/tables/", {"year": "2025-26", "download": "duration",
                                                "published": "yes"})
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert {(r["area"], r["band"]): r["incidents"] for r in rows}[(EW, "still_missing")] \
        == "fewer than 5"
    refused = client.get("/national/tables/", {"year": "last year"})
    assert refused.status_code == 400 and "financial year like 2025-26" in \
        refused.content.decode()

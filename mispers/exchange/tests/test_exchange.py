"""The national exchange format (issue 13, ADR 44): `mispers export` writes a valid, deterministic
file; an incremental extract carries a later correction and merge; the statistical profile holds
no name, no full date of birth and no full postcode; the schema files are the ones format.py
defines."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from mispers.exchange.tests.conftest import export
from mispers.exchange.validation import validate_file
from mispers.matching.merge import child_merge

pytestmark = pytest.mark.django_db


def test_a_full_extract_is_valid_and_holds_every_kind(force, history, tmp_path):
    name, lines = export(force, tmp_path)
    assert validate_file(Path(name)) == []
    header, records = lines[0], lines[1:]
    assert header["kind"] == "header" and header["force"] == force.pk
    assert header["sequence"]["after"] == 0 and header["sequence"]["to"] == len(records)
    kinds = {record["kind"] for record in records}
    assert {"child", "episode", "assessment", "outcome", "interview", "marker"} <= kinds
    assert header["counts"]["episode"] == 3
    amira = next(r for r in records if r["kind"] == "child" and r["given_name"] == "Amira")
    assert amira["home_postcode"] == "PL4 8AA" and amira["date_of_birth"] == "2011-06-01"
    interview = next(r for r in records if r["kind"] == "interview"
                     and r["interview"] == "prevention")
    assert interview["indicators"] == ["criminal_exploitation"]
    # No free text leaves: the circumstances, the account, where the child was found.
    text = "\n".join(json.dumps(record) for record in records)
    for words in ("I was fine", "A friend's flat", "A row", "Known to the force"):
        assert words not in text


def test_the_same_data_gives_the_same_file(force, history, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, _ = export(force, tmp_path / "a")
    second, _ = export(force, tmp_path / "b")
    assert open(first, "rb").read() == open(second, "rb").read()


def test_an_incremental_extract_carries_a_merge_and_a_correction(force, history, tmp_path,
                                                                  now, officer):
    _name, full = export(force, tmp_path)
    to = full[0]["sequence"]["to"]
    child_merge(actor=history["coordinator"], now=now, survivor=history["amira"].child,
                merged=history["again"].child, reason="The same girl")
    name, lines = export(force, tmp_path, "--since", str(to))
    header, records = lines[0], lines[1:]
    assert header["sequence"]["after"] == to and header["sequence"]["to"] > to
    assert all(record["seq"] > to for record in records)
    merged = next(r for r in records if r["kind"] == "child" and r["given_name"] == "Amirah")
    assert merged["merged_into"] == str(history["amira"].child.pk)
    assert any(r["kind"] == "merge" for r in records)
    moved = next(r for r in records if r["kind"] == "episode"
                 and r["id"] == str(history["again"].pk))
    assert moved["child"] == str(history["amira"].child.pk)
    # Zara did not change: she is not sent again.
    assert not any(r.get("given_name") == "Zara" for r in records)
    assert validate_file(Path(name)) == []
    # Nothing changed since: an empty incremental extract, still valid.
    empty, lines = export(force, tmp_path, "--since", str(header["sequence"]["to"]))
    assert len(lines) == 1 and validate_file(Path(empty)) == []


def test_the_statistical_profile_holds_no_name_birth_date_or_postcode(force, history,
                                                                      tmp_path):
    name, lines = export(force, tmp_path, "--profile", "statistical")
    assert validate_file(Path(name)) == []
    text = "\n".join(json.dumps(record) for record in lines)
    for identifying in ("Amira", "Okafor", "2011-06-01", "PL4 8AA", "reference",
                        history["amira"].reference):
        assert identifying not in text
    amira = next(r for r in lines if r["kind"] == "child" and r["birth_month"] == "2011-06"
                 and r["home_postcode_district"] == "PL4")
    assert "given_name" not in amira


@pytest.mark.parametrize("args, message", [
    (["--force", "atlantis"], "No force has the code 'atlantis'"),
    (["--since", "yesterday"], "--since must be a sequence number"),
    (["--since", "999999"], "--since must be between 0 and"),
    (["--profile", "everything"], "--profile: The profile is full or statistical"),
    (["--out", "/nonexistent/folder"], "No folder"),
])
def test_bad_input_is_one_clear_line_and_nothing_written(force, history, tmp_path, args,
                                                         message):
    from django.core.management import CommandError

    from mispers.exchange.models import Extract, LedgerEntry

    base = {"--force": force.pk, "--out": str(tmp_path)}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        call_command("export", *[part for pair in base.items() for part in pair])
    assert list(tmp_path.iterdir()) == []
    assert not Extract.objects.exists() and not LedgerEntry.objects.exists()


def test_the_schema_files_are_the_formats_definition():
    call_command("exchange_schemas")  # exits 1 when a file differs from format.py


def test_every_field_of_every_kind_is_documented_for_other_suppliers():
    from django.conf import settings

    from mispers.exchange.format import FIELDS

    doc = (settings.BASE_DIR / "docs" / "exchange-format.md").read_text(encoding="utf-8")
    for kind, fields in FIELDS.items():
        section = doc[doc.index(f"### `{kind}`"):]
        section = section[:section.index("\n### ") if "\n### " in section else None]
        for name in fields:
            assert f"| `{name}` |" in section, (kind, name)

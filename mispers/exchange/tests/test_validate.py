"""`mispers validate` (issue 13, ADR 44): a bad line of every kind is reported with its file,
line, field and a plain message, and nothing else is; a valid file passes; exit status 1 or 0."""

import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from mispers.exchange.tests.conftest import export
from mispers.exchange.validation import validate_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def extract(force, history, tmp_path):
    _name, lines = export(force, tmp_path)
    return lines


def write(tmp_path, lines, *, fix_header=True, name="bad.jsonl") -> Path:
    """The lines as a file; the header's counts and checksum made right for them unless asked
    not to, so each test sees only the problem it planted."""
    body = [json.dumps(record) if isinstance(record, dict) else record for record in lines[1:]]
    header = dict(lines[0])
    if fix_header:
        counts = {kind: 0 for kind in header["counts"]}
        for record in lines[1:]:
            if isinstance(record, dict) and record.get("kind") in counts:
                counts[record["kind"]] += 1
        text = "".join(f"{line}\n" for line in body).encode()
        header |= {"counts": counts, "checksum": f"sha256:{hashlib.sha256(text).hexdigest()}"}
    path = tmp_path / name
    path.write_text("".join(f"{line}\n" for line in [json.dumps(header), *body]))
    return path


def first(lines, kind, **match):
    return next(i for i, r in enumerate(lines) if isinstance(r, dict) and r["kind"] == kind
                and all(r.get(k) == v for k, v in match.items()))


def problems(path):
    return [(p.line, p.field, p.message) for p in validate_file(path)]


def edited(extract, kind, change, **match):
    lines = [dict(r) for r in extract]
    index = first(lines, kind, **match)
    change(lines[index])
    return lines, index + 1


@pytest.mark.parametrize("kind, change, field, words", [
    ("episode", lambda r: r.pop("reported_at"), "reported_at", "is required"),
    ("child", lambda r: r.update(sex="girl"), "sex", "is not one of the values allowed"),
    ("child", lambda r: r.update(date_of_birth="01/06/2011"), "date_of_birth",
     "is not in the expected form"),
    ("child", lambda r: r.update(date_of_birth="2011-02-30"), "date_of_birth",
     "is not a real date"),
    ("child", lambda r: r.update(shoe_size=5), "shoe_size",
     "is not a field of a child record in the full profile"),
    ("episode", lambda r: r.update(child="no-such-child"), "child",
     "refers to child no-such-child, which is not in the file"),
    ("episode", lambda r: r.update(last_seen_at="2026-03-14T00:00:00Z"), "last_seen_at",
     "is after the time the child was reported"),
    ("episode", lambda r: r.update(grade=None), "grade", "is missing"),
    ("assessment", lambda r: r.update(effective_grade="very high"), "effective_grade",
     "is not one of the values allowed"),
    ("outcome", lambda r: r.update(found_at="2026-03-01T00:00:00Z"), "found_at",
     "is before the episode was reported"),
    ("interview", lambda r: r.update(held_at="2026-03-12T15:30:00Z"), "held_at",
     "is before the child was found"),
    ("marker", lambda r: r.update(active_until="2020-01-01"), "active_until",
     "is before the marker's start"),
    ("child", lambda r: r.update(seq=999), "seq", "is outside the header's sequence"),
])
def test_each_bad_line_is_named_with_its_field(extract, tmp_path, kind, change, field, words):
    match = {"state": "found"} if kind == "episode" else (
        {"interview": "prevention"} if kind == "interview" else {})
    lines, number = edited(extract, kind, change, **match)
    found = problems(write(tmp_path, lines))
    assert len(found) == 1, found
    line, named, message = found[0]
    assert (line, named) == (number, field) and words in message


def test_lines_that_are_not_records(extract, tmp_path):
    lines = [dict(r) for r in extract]
    lines.insert(2, "{not json")
    lines.insert(3, {"kind": "spaceship", "id": "x", "seq": 1})
    dup = dict(lines[first(lines, "marker")])
    lines.append(dup)
    found = problems(write(tmp_path, lines))
    assert found[0][:2] == (3, "") and "is not a JSON object" in found[0][2]
    assert found[1][:2] == (4, "kind") and "'spaceship' is not one of" in found[1][2]
    assert found[2][0] == len(lines) and "is already on line" in found[2][2]
    assert len(found) == 3


def test_the_header_counts_and_checksum_are_checked(extract, tmp_path):
    lines = [dict(r) for r in extract]
    lines[first(lines, "child")]["family_name"] = "Changed"
    lines[0]["counts"]["episode"] += 1
    found = {(line, field): message
             for line, field, message in problems(write(tmp_path, lines, fix_header=False))}
    assert found.keys() == {(1, "counts.episode"), (1, "checksum")}
    assert found[(1, "counts.episode")] == "says 4 but the file holds 3"
    no_header = write(tmp_path, lines[1:], fix_header=False, name="headless.jsonl")
    assert problems(no_header)[0][2] == "the first line must be the header record"


def test_a_statistical_file_may_not_carry_names(force, history, tmp_path):
    _name, lines = export(force, tmp_path, "--profile", "statistical")
    lines[first(lines, "child")]["given_name"] = "Amira"
    found = problems(write(tmp_path, lines))
    assert found == [(2, "given_name",
                      "is not a field of a child record in the statistical profile")]


def test_the_command_prints_each_problem_and_exits_1(extract, tmp_path, force):
    good = write(tmp_path, extract, name="good.jsonl")
    lines, number = edited(extract, "child", lambda r: r.update(sex="girl"))
    bad = write(tmp_path, lines)
    out = io.StringIO()
    call_command("validate", str(good), stdout=out)
    assert out.getvalue().strip() == f"{good}: valid"
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command("validate", str(good), str(bad), stdout=out)
    assert exit_status.value.code == 1
    printed = out.getvalue().splitlines()
    assert printed[0] == f"{good}: valid"
    assert printed[1].startswith(f"{bad}:{number}: sex: 'girl' is not one of")
    assert printed[-1] == f"{bad}: 1 problem"
    lines[0]["force"] = "atlantis"
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("validate", str(write(tmp_path, lines, name="x.jsonl")), stdout=out)
    assert "1: force: no force has the code 'atlantis'" in out.getvalue()

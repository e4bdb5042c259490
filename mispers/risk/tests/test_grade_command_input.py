"""`mispers grade` on a file that is not clean UTF-8 or not clean JSON: the bad line is named on
standard error, every other line is still graded, and the command exits 1 without a traceback."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[3]
CASE = {"age": 15, "looked_after": True, "missing_from": "care", "earlier_episodes_90d": 2,
        "exploitation_marker": False, "answers": {"exploitation": "no"}}
GOOD = json.dumps(CASE).encode()
BAD_BYTE = GOOD.replace(b'"care"', b'"ca\xffre"')
DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.fixture
def cases(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_bytes(b"\n".join([GOOD, BAD_BYTE, DEEP, GOOD]) + b"\n")
    return path


def test_bad_lines_are_named_and_the_rest_graded(cases, capsys):
    with pytest.raises(CommandError, match="2 line"):
        call_command("grade", str(cases))
    out, err = capsys.readouterr()
    assert [json.loads(line)["grade"] for line in out.splitlines()] == ["medium", "medium"]
    assert err.splitlines() == ["line 2: not valid UTF-8 (byte 0xff at byte 54)",
                                "line 3: not valid JSON (nested too deeply)"]


def test_standard_input_with_a_bad_byte(tmp_path, cases):
    result = subprocess.run([sys.executable, "manage.py", "grade"], cwd=ROOT,
                            input=cases.read_bytes(), capture_output=True, timeout=120)
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert b"line 2: not valid UTF-8" in result.stderr
    assert len(result.stdout.splitlines()) == 2

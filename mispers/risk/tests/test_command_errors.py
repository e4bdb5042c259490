"""Commands answer bad input with one clear line and a non-zero exit, never a traceback, and
their hints name the `mispers` command (issue 11). The grade format's documented example is the
current policy's."""

import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mispers.risk.policy import grade_case, load_policy, parse_case
from mispers.risk.policy.docs import render_policy_docs

ROOT = Path(__file__).resolve().parents[3]
CASE = {"age": 15, "looked_after": True, "missing_from": "care", "earlier_episodes_90d": 2,
        "exploitation_marker": False, "answers": {"exploitation": "no"}}


def grade(text: str) -> list[str]:
    """What `mispers grade` says on standard error for `text`."""
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("grade", stdin=StringIO(text), stdout=StringIO(), stderr=err)
    return err.getvalue().splitlines()


def test_a_line_cut_short_is_reported_where_it_stops():
    whole = json.dumps(CASE)
    cut = whole[:40]  # '{"age": 15, "looked_after": true, "missi'
    assert grade(f"{whole}\n{cut}\n{whole}\n") == [
        "line 2: not valid JSON (Unterminated string starting at column 35; the line ends too "
        "early: is it cut short?)"]
    assert grade('{"age": 15\n') == [
        "line 1: not valid JSON (Expecting ',' delimiter at column 11; the line ends too early: "
        "is it cut short?)"]


def test_bad_json_inside_a_line_names_its_column_in_characters():
    assert grade('{"âge": 15, x}\r\n') == [
        "line 1: not valid JSON (Expecting property name enclosed in double quotes at column "
        "13)"]
    assert grade(json.dumps(CASE) + "}\n") == [
        f"line 1: not valid JSON (Extra data at column {len(json.dumps(CASE)) + 1})"]


def test_policy_docs_to_a_missing_folder_is_one_clear_line(tmp_path):
    target = tmp_path / "no-such-folder" / "policy.md"
    with pytest.raises(CommandError) as refused:
        call_command("policy_docs", "--write", "--path", str(target))
    assert str(refused.value) == f"cannot write {target}: the folder does not exist"
    assert not target.parent.exists()


def test_policy_docs_stale_check_names_the_mispers_command(tmp_path):
    stale = tmp_path / "policy.md"
    stale.write_text("old", encoding="utf-8")
    with pytest.raises(CommandError, match=r"run `mispers policy_docs --write`$"):
        call_command("policy_docs", "--check", "--path", str(stale))


def _mispers(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("mispers")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "mispers.cli"]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    return subprocess.run([*command, *args], input=stdin, capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env=env, check=False)


@pytest.mark.parametrize(("args", "stdin", "said"), [
    (("synth", "demo", "--until", "tomorrow"), "",
     "CommandError: --until must be an ISO date or date-time such as 2026-11-01 or "
     "2026-11-01T09:00, not 'tomorrow'"),
    (("policy_docs", "--write", "--path", "/nonexistent-folder/policy.md"), "",
     "CommandError: cannot write /nonexistent-folder/policy.md: the folder does not exist"),
    (("grade",), '{"age": 15, "looked_after": tr\n',
     "line 1: not valid JSON (Expecting value at column 29; the line ends too early: is it cut "
     "short?)\nCommandError: 1 line(s) could not be graded"),
])
def test_the_mispers_command_answers_bad_input_without_a_traceback(args, stdin, said):
    done = _mispers(*args, stdin=stdin)
    assert done.returncode == 1
    assert done.stderr.strip() == said
    assert "Traceback" not in done.stderr


def test_user_facing_hints_name_mispers_not_manage_py():
    commands = list(ROOT.glob("mispers/*/management/commands/*.py"))
    assert len(commands) >= 10
    texts = {path: path.read_text(encoding="utf-8")
             for path in [*commands, ROOT / "README.md", ROOT / "docs" / "policy.md",
                          ROOT / "docs" / "api.md", ROOT / "docs" / "security.md",
                          *ROOT.glob("docs/user-guide/*.md")]}
    texts["render_policy_docs()"] = render_policy_docs()
    assert [name for name, text in texts.items() if "manage.py" in text] == []


def test_the_documented_grade_example_is_the_current_policy():
    """docs/policy.md (the format of `mispers grade`, linked from the README) shows a line and
    the answer the current policy gives it; docs/api.md's answers name the current version."""
    text = (ROOT / "docs" / "policy.md").read_text(encoding="utf-8")
    section = text.split("## Grading cases from a file: `mispers grade`", 1)[1]
    example, answer = re.findall(r"```json\n(.*?)\n```", section, re.S)[:2]
    assert json.loads(answer) == grade_case(parse_case(json.loads(example)))
    version = load_policy("national").version
    assert json.loads(answer)["policy_version"] == version
    api = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert set(re.findall(r'"policy_version": "([^"]+)"', api)) == {version}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`mispers grade` format" in readme and "docs/policy.md" in readme

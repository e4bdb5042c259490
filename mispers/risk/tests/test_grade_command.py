"""`manage.py grade`: JSON Lines in, one graded JSON line out per good case; bad lines are
reported on stderr with their line number, the rest still graded, and the exit status is 1.
Also the pure case parser it shares with the REST API."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from mispers.risk.policy import (
    Case,
    PolicyInputError,
    UnknownGradeError,
    UnknownPolicyError,
    grade_case,
    parse_case,
)

CASE = {"age": 15, "looked_after": True, "missing_from": "care", "earlier_episodes_90d": 2,
        "exploitation_marker": False, "answers": {"exploitation": "no"}}


def case(**changes):
    return {**CASE, **changes}


def run(lines, *args):
    """Run the command on `lines` given on stdin; return (stdout lines, stderr lines, error)."""
    out, err = io.StringIO(), io.StringIO()
    error = None
    try:
        call_command("grade", *args, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out,
                     stderr=err)
    except CommandError as raised:
        error = raised
    return out.getvalue().splitlines(), err.getvalue().splitlines(), error


# --- the pure parser ----------------------------------------------------------------------


def test_parse_case_defaults():
    parsed = parse_case({key: value for key, value in CASE.items() if key != "answers"})
    assert isinstance(parsed, Case)
    assert parsed.policy == "national"
    assert dict(parsed.answers) == {}
    assert parsed.context.age == 15 and parsed.context.missing_from == "care"
    assert parsed.chosen is None


@pytest.mark.parametrize(("data", "error", "message"), [
    ([1, 2], PolicyInputError, "must be a JSON object"),
    (case(colour="red"), PolicyInputError, "unknown field 'colour'"),
    ({"age": 15}, PolicyInputError, "missing field 'looked_after'"),
    (case(age=18), PolicyInputError, "this system is for children"),
    (case(age=-2), PolicyInputError, "must not be negative"),
    (case(age="fifteen"), PolicyInputError, "whole number"),
    (case(missing_from="friend"), PolicyInputError, "missing_from must be one of"),
    (case(earlier_episodes_90d="2"), PolicyInputError, "earlier_episodes_90d"),
    (case(looked_after="yes"), PolicyInputError, "looked_after must be true or false"),
    (case(answers=["exploitation"]), PolicyInputError, "answers must be an object"),
    (case(answers={"runaway": "yes"}), PolicyInputError, "unknown factor 'runaway'"),
    (case(answers={"exploitation": "perhaps"}), PolicyInputError, "unknown answer 'perhaps'"),
    (case(policy="atlantis"), UnknownPolicyError, "unknown policy 'atlantis'"),
    (case(policy=7), PolicyInputError, "policy must be"),
    (case(chosen="absent"), UnknownGradeError, "unknown grade 'absent'"),
    (case(chosen="low", rationale=5), PolicyInputError, "rationale must be text"),
])
def test_parse_case_refuses_bad_input(data, error, message):
    with pytest.raises(error, match=message):
        parse_case(data)


def test_grade_case():
    result = grade_case(parse_case(case(policy="dorset")))
    assert result["grade"] == "medium"
    assert result["policy"] == "dorset"
    assert result["policy_version"].startswith("2026.1+national.")
    assert "Looked after by a local authority and missing from their placement" in (
        result["reasons"])
    assert set(result) == {"grade", "reasons", "policy", "policy_version"}


def test_grade_case_with_a_choice():
    result = grade_case(parse_case(case(chosen="low", rationale="Seen at a friend's by PCSO")))
    assert (result["chosen"], result["status"], result["required_rank"]) == (
        "low", "pending_ratification", "sergeant")


# --- the command --------------------------------------------------------------------------


def test_grades_each_line_from_stdin():
    lines = [json.dumps(case()), "", "   ", json.dumps(case(age=11, policy="merseyside"))]
    out, err, error = run(lines)
    assert error is None and err == []
    first, second = (json.loads(line) for line in out)
    assert first["grade"] == "medium" and first["policy"] == "national"
    assert first["reasons"][0] == (
        "Looked after by a local authority and missing from their placement")
    assert second == {
        "grade": "high",
        "reasons": second["reasons"],
        "policy": "merseyside",
        "policy_version": second["policy_version"],
    }
    assert second["reasons"][0] == "Age 11: children aged 12 or under are graded high"


def test_reads_a_file(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(case()) + "\n" + json.dumps(case(age=12)) + "\n",
                    encoding="utf-8")
    out = io.StringIO()
    call_command("grade", str(path), stdout=out, stderr=io.StringIO())
    assert [json.loads(line)["grade"] for line in out.getvalue().splitlines()] == [
        "medium", "high"]


def test_bad_lines_are_reported_and_the_rest_still_graded():
    lines = [
        json.dumps(case()),                                          # 1 good
        "{not json",                                                 # 2
        json.dumps(case(answers={"runaway": "yes"})),                # 3
        json.dumps(case(answers={"exploitation": "maybe"})),         # 4
        json.dumps(case(missing_from="friend")),                     # 5
        json.dumps(case(age=-1)),                                    # 6
        json.dumps(case(age=18)),                                    # 7
        json.dumps(case(earlier_episodes_90d=1.5)),                  # 8
        json.dumps(case(chosen="absent")),                           # 9
        json.dumps(case(policy="atlantis")),                         # 10
        "",                                                          # 11 skipped
        json.dumps(case(age=16, looked_after=False)),                # 12 good
        json.dumps(case(chosen="low")),                              # 13 no rationale
    ]
    out, err, error = run(lines)
    assert [json.loads(line)["grade"] for line in out] == ["medium", "medium"]
    assert [line.split(":")[0] for line in err] == [
        f"line {n}" for n in (2, 3, 4, 5, 6, 7, 8, 9, 10, 13)]
    assert err[0].startswith("line 2: not valid JSON")
    assert "unknown factor 'runaway'" in err[1]
    assert "unknown answer 'maybe'" in err[2]
    assert "missing_from must be one of" in err[3]
    assert "must not be negative" in err[4]
    assert "this system is for children" in err[5]
    assert "earlier_episodes_90d" in err[6]
    assert "unknown grade 'absent'" in err[7]
    assert "unknown policy 'atlantis'" in err[8]
    assert "write a rationale" in err[9]
    assert error is not None and error.returncode == 1
    assert "10 line(s) could not be graded" in str(error)


def test_missing_file():
    with pytest.raises(CommandError, match="cannot read /nonexistent/cases.jsonl"):
        call_command("grade", "/nonexistent/cases.jsonl", stdout=io.StringIO())

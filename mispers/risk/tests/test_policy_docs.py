"""docs/policy.md is generated from the policy files; the committed copy must match them."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from mispers.risk.policy import GRADES, load_policy, load_policy_file, shipped_overlays
from mispers.risk.policy.docs import DOCS_PATH, render_policy_docs
from mispers.risk.policy.rules import CONDITION_KINDS


def test_committed_docs_match_the_policy_files():
    assert DOCS_PATH.read_text(encoding="utf-8") == render_policy_docs(), (
        "docs/policy.md is stale: run `mispers policy_docs --write`"
    )


def test_rendering_is_deterministic():
    assert render_policy_docs() == render_policy_docs()


def test_docs_cover_rules_factors_clocks_actions_overlays_and_format():
    text = render_policy_docs()
    national = load_policy("national")
    for rule in national.rules:
        assert f"`{rule.id}`" in text
    for factor in national.factors:
        assert f"| `{factor.code}` | {factor.question} | {factor.floor} |" in text
    for grade in GRADES:
        assert f"`{grade}`" in text
    for actions in national.actions.values():
        for action in actions:
            assert f"`{action.code}`" in text
    for name in shipped_overlays():
        assert f"(`{name}`)" in text
    for kind in CONDITION_KINDS:
        assert f"| `{kind}` |" in text
    assert ("| High | 1 h | 4 h | inspector | superintendent informed if open 12 h; an officer "
            "in the case allocated within 1 h of the grade |") in text
    assert "“Absent”" in text


def test_the_overlay_example_in_the_docs_loads(tmp_path):
    example = re.search(r"```toml\n(.*?)```", render_policy_docs(), re.DOTALL).group(1)
    path = tmp_path / "kent.toml"
    path.write_text(example, encoding="utf-8")
    policy = load_policy_file(path)
    assert policy.name == "kent"
    assert policy.thresholds.repeat_window_days == 30


def test_policy_docs_command(tmp_path):
    path = tmp_path / "policy.md"
    with pytest.raises(CommandError, match="out of date"):
        call_command("policy_docs", "--check", "--path", str(path), stdout=io.StringIO())
    call_command("policy_docs", "--write", "--path", str(path), stdout=io.StringIO())
    assert path.read_text(encoding="utf-8") == render_policy_docs()
    out = io.StringIO()
    call_command("policy_docs", "--check", "--path", str(path), stdout=out)
    assert "up to date" in out.getvalue()
    path.write_text("edited by hand\n", encoding="utf-8")
    with pytest.raises(CommandError, match="policy_docs --write"):
        call_command("policy_docs", "--check", "--path", str(path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("policy_docs", stdout=out)
    assert out.getvalue() == render_policy_docs()

"""Issue 10: role lists are defined once, in mispers/accounts/roles.py; every other module imports
them. A list written out again elsewhere is how two pages come to disagree about who may act."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / "accounts" / "roles.py"


def _defines_a_role_list(node: ast.AST) -> bool:
    if not isinstance(node, ast.Assign | ast.AnnAssign):
        return False
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    named = any(isinstance(t, ast.Name) and t.id.endswith("_ROLES") for t in targets)
    value = node.value
    literal = isinstance(value, ast.Set | ast.Tuple | ast.List) or (
        isinstance(value, ast.Call) and getattr(value.func, "id", "") in {"frozenset", "set"})
    return named and literal


def role_lists_outside_home() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if path == HOME or "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.parse(path.read_text()).body:
            if _defines_a_role_list(node):
                found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}")
    return found


def test_role_lists_are_defined_only_in_accounts_roles():
    assert role_lists_outside_home() == []


def test_the_check_sees_a_list_written_out_again():
    module = ast.parse('CLOSE_ROLES = frozenset({"supervisor", "inspector"})\n'
                       'OTHER_ROLES = ("officer",)\nALIAS_ROLES = CLOSE_ROLES\n')
    assert [_defines_a_role_list(node) for node in module.body] == [True, True, False]

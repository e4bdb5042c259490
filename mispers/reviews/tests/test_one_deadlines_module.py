"""Issue 10 (ADR 28): deadlines are opened, moved, met and cancelled only through
`reviews/deadlines.py`, so "met" and "cancelled" always carry who, when and why."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / "reviews" / "deadlines.py"
WRITES = {"update", "create", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}


def deadline_writes(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITES
                and "Deadline.objects" in ast.unparse(node.func.value)):
            lines.append(node.lineno)
    return lines


def test_only_the_deadlines_module_writes_deadline_rows():
    offenders = [f"{path.relative_to(ROOT.parent)}:{line}"
                 for path in sorted(ROOT.rglob("*.py"))
                 if path != HOME and "tests" not in path.parts and "migrations" not in path.parts
                 for line in deadline_writes(path.read_text())]
    assert offenders == []


def test_the_check_sees_a_write_around_the_module():
    assert deadline_writes(
        "Deadline.objects.filter(episode=e, status='pending').update(status='cancelled')\n"
        "Deadline.objects.filter(pk=1).exists()\n") == [1]

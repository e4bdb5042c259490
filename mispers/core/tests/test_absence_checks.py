"""Issue 10: a test that asserts something is absent from a page checks it got the page first.
`assert "x" not in client.get(url).content.decode()` passes on a 404 or a 500 page too; such
checks go through `mispers.core.testing.page_text`, which asserts the status first."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UNCHECKED = re.compile(r"not in\s+(?:html\.unescape\()?client\.(?:get|post)\(")


def test_no_absence_check_reads_a_response_without_its_status():
    offenders = [f"{path.relative_to(ROOT.parent)}:{number}"
                 for path in sorted(ROOT.rglob("test_*.py")) if path != Path(__file__)
                 for number, line in enumerate(path.read_text().splitlines(), start=1)
                 if UNCHECKED.search(line)]
    assert offenders == []


def test_the_rule_catches_the_pattern():
    assert UNCHECKED.search('    assert "Kayla" not in client.get("/partners/").content.decode()')
    assert not UNCHECKED.search('    assert "Kayla" not in page_text(client.get("/partners/"))')

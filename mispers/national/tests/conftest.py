"""The hub's tests: the exchange tests' small force (`history`), sent again by Kent with
Zara recorded under another surname and with her birthday's day and month swapped, a pair the
linkage cannot settle (its match probability falls in the review band)."""

import hashlib
import json
from pathlib import Path

import pytest

from mispers.exchange.tests.conftest import export, history  # noqa: F401 (the same small force)


def as_kent(full: Path, folder: Path, change=None) -> Path:
    """The file as Kent would send it, each record passed through `change`; the header's
    counts stay and its checksum is made again."""
    lines = full.read_text().splitlines()
    body = []
    for line in lines[1:]:
        record = json.loads(line)
        if change:
            change(record)
        body.append(json.dumps(record, separators=(",", ":")))
    header = json.loads(lines[0]) | {"force": "kent"}
    header["checksum"] = "sha256:" + hashlib.sha256(
        "".join(f"{line}\n" for line in body).encode()).hexdigest()
    path = folder / "kent-full.jsonl"
    path.write_text("\n".join([json.dumps(header), *body]) + "\n")
    return path


def zara_as_kent_has_her(record: dict) -> None:
    if record["kind"] == "child" and record.get("given_name") == "Zara":
        record["family_name"] = "Bell"            # a stepfather's surname
        record["date_of_birth"] = "2010-03-02"    # 3 February written day-and-month swapped


@pytest.fixture
def sent(force, history, tmp_path):  # noqa: F811
    """(the demo force's full extract, Kent's) as files."""
    full, _ = export(force, tmp_path)
    return Path(full), as_kent(Path(full), tmp_path, zara_as_kent_has_her)

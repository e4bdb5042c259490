"""`mispers hub import DIR|FILE…`: load force files into the national hub (issue 13, ADR 45),
one at a time, all or nothing each; a line per file (loaded, skipped or rejected with its first
problem) and exit status 1 when any was rejected. A folder's .jsonl files are taken in each
force's order of changes."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mispers.core import clock
from mispers.national.services import hub_import


def _order(path: Path) -> tuple:
    """Each force's files in the order of their changes (a full extract before the files that
    follow it); a file whose header cannot be read comes last, to be reported."""
    try:
        with path.open("rb") as handle:
            header = json.loads(handle.readline())
        return (0, header["force"], header["sequence"]["after"], header["sequence"]["to"],
                path.name)
    except (OSError, ValueError, KeyError, TypeError):
        return (1, "", 0, 0, path.name)


class Command(BaseCommand):
    help = "The national hub. import: load force files in the exchange format."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
        load = commands.add_parser("import", help="load force files (.jsonl, or folders of them)")
        load.add_argument("paths", nargs="+", metavar="DIR|FILE")

    def handle(self, *args, **options):
        files = []
        for name in options["paths"]:
            path = Path(name)
            if path.is_dir():
                files += sorted(path.glob("*.jsonl"))
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"No file or folder {name!r}")
        if not files:
            raise CommandError("No .jsonl files to load in " + ", ".join(options["paths"]))
        rejected = 0
        for path in sorted(files, key=_order):
            outcome = hub_import(actor=None, now=clock.now(), path=path)
            rejected += outcome.status == "rejected"
            self.stdout.write(outcome.message)
        if rejected:
            sys.exit(1)

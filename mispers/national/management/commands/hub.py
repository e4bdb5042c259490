"""`mispers hub import DIR|FILE…`: load force files into the national hub (issue 13, ADR 45),
one at a time, all or nothing each; a line per file (loaded, skipped or rejected with its first
problem) and exit status 1 when any was rejected. A folder's .jsonl files are taken in each
force's order of changes."""

import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mispers.core import clock
from mispers.core.errors import DomainError
from mispers.national.linkage import ENGINES, hub_link
from mispers.national.report import write_tables
from mispers.national.services import hub_facts_rebuild, hub_import
from mispers.national.tables import Year, national_tables


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
    help = ("The national hub. import: load force files in the exchange format; link: "
            "recognise the same child across forces; tables: the national tables of a "
            "financial year; facts: make the incidents the tables count again.")

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
        load = commands.add_parser("import", help="load force files (.jsonl, or folders of them)")
        load.add_argument("paths", nargs="+", metavar="DIR|FILE")
        link = commands.add_parser("link", help="recognise the same child across forces")
        link.add_argument("--engine", default="duckdb", metavar="|".join(ENGINES),
                          help="where splink runs: duckdb (default, in memory) or spark "
                               "(local mode, or the cluster MISPERS_SPARK_MASTER names)")
        tables = commands.add_parser("tables", help="the national tables of a year (CSV, HTML, "
                                                    "PDF)")
        tables.add_argument("--year", required=True, help="a financial year, e.g. 2025-26")
        tables.add_argument("--out", required=True, metavar="DIR", help="the folder to write in")
        tables.add_argument("--published", action="store_true",
                            help="suppress counts of 1 to 4, for publication")
        commands.add_parser("facts", help="make the national incidents the tables count again "
                                          "from the records held")

    def handle(self, *args, **options):
        if options["command"] == "tables":
            return self._tables(options)
        if options["command"] == "facts":
            started = time.perf_counter()
            made = hub_facts_rebuild(actor=None, now=clock.now())
            self.stdout.write(f"National incidents made again: {made} incidents, in "
                              f"{time.perf_counter() - started:.1f} s")
            return None
        if options["command"] == "link":
            try:
                run = hub_link(actor=None, now=clock.now(), engine=options["engine"])
            except DomainError as error:
                raise CommandError(error.message) from None
            self.stdout.write(f"Linkage ({run.engine}): {run.records} child records, "
                              f"{run.linked} pairs linked, {run.review} for review, "
                              f"{run.people} national persons, in {run.seconds} s")
            return None
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

    def _tables(self, options):
        try:
            year = Year.parse(options["year"])
        except DomainError as error:
            raise CommandError(error.message) from None
        out = Path(options["out"])
        if not out.is_dir():
            raise CommandError(f"No folder {str(out)!r} to write the tables in")
        tables = national_tables(year=year)
        written = write_tables(tables, out, published=options["published"])
        forces = len([f for f in tables.incidents if f != "england-and-wales"])
        self.stdout.write(f"National tables {year}: {forces} forces, "
                          f"{tables.incidents['england-and-wales']['incidents']} incidents; "
                          f"{len(written)} files in {out}")

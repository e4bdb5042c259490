"""`mispers validate FILE…`: check files in the national exchange format (issue 13, ADR 44).
Prints each problem as `file:line: field: message` and exits 1 when there is any, 0 when every
file is valid."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from mispers.exchange.validation import validate_file
from mispers.risk.policy.loader import known_force_codes

SHOWN = 200


class Command(BaseCommand):
    help = "Check files in the national exchange format: the schema and the business rules."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="a .jsonl extract")

    def handle(self, *args, **options):
        forces = set(known_force_codes())  # the 43 forces of England and Wales
        failed = 0
        for name in options["files"]:
            problems = validate_file(Path(name), forces=forces)
            if not problems:
                self.stdout.write(f"{name}: valid")
                continue
            failed += 1
            for problem in problems[:SHOWN]:
                self.stdout.write(str(problem))
            if len(problems) > SHOWN:
                self.stdout.write(f"{name}: … and {len(problems) - SHOWN} more problems")
            self.stdout.write(f"{name}: {len(problems)} problem"
                              f"{'s' if len(problems) != 1 else ''}")
        if failed:
            sys.exit(1)

"""`mispers export --force CODE --out DIR [--since SEQ] [--profile full|statistical]`: the
force's records in the national exchange format (issue 13, ADR 44), every record or those
changed after an earlier extract's sequence number. Bad input: one line and exit status 1."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mispers.accounts.models import Force
from mispers.core import clock
from mispers.core.errors import DomainError
from mispers.exchange.format import PROFILES
from mispers.exchange.services import extract_make


class Command(BaseCommand):
    help = "Write the force's extract in the national exchange format (docs/exchange-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("--force", required=True, metavar="CODE",
                            help="the force's code, e.g. devon-and-cornwall")
        parser.add_argument("--out", required=True, metavar="DIR", help="the folder to write in")
        parser.add_argument("--since", metavar="SEQ", default=None,
                            help="only what changed after this sequence number (the `to` of "
                                 "the last extract sent); every record when left out")
        parser.add_argument("--profile", default="full", metavar="|".join(PROFILES),
                            help="full (names, for linking) or statistical (no names, no free "
                                 "text, birth month, postcode district); full by default")

    def handle(self, *args, **options):
        force = Force.objects.filter(pk=options["force"]).first()
        if force is None:
            raise CommandError(f"No force has the code {options['force']!r}")
        since = options["since"]
        if since is not None:
            if not since.isdigit():
                raise CommandError(f"--since must be a sequence number like 1200, not {since!r}")
            since = int(since)
        try:
            extract = extract_make(actor=None, now=clock.now(), force=force,
                                   out_dir=Path(options["out"]), since=since,
                                   profile=options["profile"])
        except DomainError as error:
            message = error.message
            if error.field == "profile":
                message = f"--profile: {message}"
            raise CommandError(message) from None
        records = sum(extract.counts.values())
        kind = "incremental" if extract.after else "full"
        self.stdout.write(f"{Path(options['out']) / extract.file_name}: {records} records, "
                          f"{kind} extract of {force.name} (changes {extract.after + 1} to "
                          f"{extract.to}; next time: --since {extract.to})")

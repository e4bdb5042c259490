"""`mispers matching_keys --rebuild [--force CODE]`: rebuild the identity keys intake finds
children by, from the children's records (after a change to the key rules or the nickname
table, or after loading children some other way). Prints one JSON line: {"rows": N}."""

import json

from django.core.management.base import BaseCommand, CommandError

from mispers.accounts.models import Force
from mispers.matching.services import identity_keys_rebuild


class Command(BaseCommand):
    help = "Rebuild the identity keys used to find children at intake (docs/adr/0007)."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", required=True,
                            help="delete and rebuild the keys")
        parser.add_argument("--force", metavar="CODE", default=None,
                            help="only this force's children (default: every force)")

    def handle(self, *args, **options):
        force = None
        if options["force"]:
            force = Force.objects.filter(code=options["force"]).first()
            if force is None:
                raise CommandError(f"No force with the code {options['force']!r}")
        rows = identity_keys_rebuild(force=force)
        self.stdout.write(json.dumps({"rows": rows}))

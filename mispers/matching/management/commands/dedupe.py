"""`mispers dedupe --force CODE [--threshold P]`: find likely duplicate children in one force
and put the new pairs in its coordinator's review queue. Prints one JSON line of counts, e.g.
{"children": 5120, "pairs_found": 41, "suggested": 3, "already_known": 38, "skipped_merged": 0}.
Nothing is merged: a coordinator decides each pair at /matching/."""

import json

from django.core.management.base import BaseCommand, CommandError

from mispers.core import clock
from mispers.core.errors import DomainError
from mispers.matching.dedupe import dedupe_run
from mispers.matching.dedupe.run import force_by_code


class Command(BaseCommand):
    help = ("Find likely duplicate children in a force (splink on DuckDB) and add the new pairs "
            "to the coordinator's review queue. A pair suggested before, whatever was decided, "
            "is not suggested again. Prints one JSON line with the counts.")

    def add_arguments(self, parser):
        parser.add_argument("--force", required=True, metavar="CODE",
                            help="the force's code, e.g. devon-and-cornwall")
        parser.add_argument("--threshold", type=float, default=None, metavar="P",
                            help="match probability from which a pair is suggested (default: "
                                 "the model's, see docs/adr/0008)")

    def handle(self, *args, **options):
        try:
            force = force_by_code(options["force"])
            result = dedupe_run(force=force, actor=None, now=clock.now(),
                                threshold=options["threshold"])
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(json.dumps(result.as_dict()))

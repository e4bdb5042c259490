"""mispers photos_prune [--dry-run]: delete Philomena photo files no profile shows any more."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from mispers.partners.photos import photos_prune


class Command(BaseCommand):
    help = "Delete Philomena photo files that no profile shows any more (replaced or removed)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="List the files without deleting them")

    def handle(self, *args, dry_run=False, **options):
        names = photos_prune(now=timezone.now(), dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        for name in names:
            self.stdout.write(f"{verb} {name}")
        self.stdout.write(f"{verb} {len(names)} photo file(s) no profile shows.")

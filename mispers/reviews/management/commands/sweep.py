"""`mispers sweep [--now ISO-TIME]`: run the sweeper once and print what it created as one JSON
line, e.g. {"escalations": 3, "notifications": 5, "tasks": 0}. Idempotent: run twice at the
same time, the second run prints zeros."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mispers.core import clock
from mispers.reviews.escalation import sweep


def parse_now(value: str) -> dt.datetime:
    """An ISO 8601 date and time; without an offset it is the local time (settings.TIME_ZONE)."""
    try:
        when = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            f"--now {value!r} is not an ISO 8601 date and time: use e.g. "
            "2026-03-14T15:00:00+00:00 or 2026-03-14T15:00Z") from None
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when


class Command(BaseCommand):
    help = ("Run the sweeper once: escalate overdue deadlines, climb unacknowledged escalations "
            "and create the 72-hour national unit tasks. Prints one JSON line with what it "
            "created; a second run at the same time prints zeros.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", metavar="ISO-TIME", default=None,
            help="sweep as at this time (default: now); without an offset it is local time")

    def handle(self, *args, **options):
        now = parse_now(options["now"]) if options["now"] is not None else clock.now()
        counts = sweep(now=now)
        self.stdout.write(json.dumps(counts))

"""`mispers report deep-dive --force CODE --from DATE --to DATE --out FILE.pdf`: the
commissioner's deep dive for a period, as a PDF (issue 12, ADR 41), the same document the force
picture offers. Bad input is answered with one line and exit status 1."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mispers.accounts.models import Force
from mispers.core import clock
from mispers.core.errors import DomainError
from mispers.insights.deep_dive import deep_dive_pdf
from mispers.insights.period import period_check


def _date(text: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{name} must be a date like 2026-03-31, not {text!r}") from None


class Command(BaseCommand):
    help = "Reports made from the force's figures. deep-dive: the commissioner's deep dive (PDF)."

    def add_arguments(self, parser):
        reports = parser.add_subparsers(dest="report", required=True, metavar="REPORT")
        deep = reports.add_parser("deep-dive", help="the commissioner's deep dive, as a PDF")
        deep.add_argument("--force", required=True, metavar="CODE",
                          help="the force's code, e.g. devon-and-cornwall")
        deep.add_argument("--from", dest="first", required=True, metavar="DATE",
                          help="the period's first day, YYYY-MM-DD")
        deep.add_argument("--to", dest="last", required=True, metavar="DATE",
                          help="the period's last day, YYYY-MM-DD")
        deep.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write it")

    def handle(self, *args, **options):
        now = clock.now()
        force = Force.objects.filter(pk=options["force"]).first()
        if force is None:
            raise CommandError(f"No force has the code {options['force']!r}")
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"No folder {str(out.parent)!r} to write {out.name} in")
        try:
            period = period_check(first=_date(options["first"], "--from"),
                                  last=_date(options["last"], "--to"),
                                  today=timezone.localdate(now))
        except DomainError as error:
            raise CommandError(error.message) from None
        out.write_bytes(deep_dive_pdf(force=force, period=period, now=now))
        self.stdout.write(f"Deep dive for {force.name}, {period}: {out}")

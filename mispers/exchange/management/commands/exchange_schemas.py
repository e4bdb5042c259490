"""`mispers exchange_schemas --write`: write the exchange format's JSON Schema files from
mispers/exchange/format.py into mispers/exchange/schemas/ (a test keeps them equal)."""

import json

from django.core.management.base import BaseCommand

from mispers.exchange.format import PROFILES, schema
from mispers.exchange.schemas import SCHEMAS


class Command(BaseCommand):
    help = "Write (--write) or check the exchange format's JSON Schema files."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="write them (else: check)")

    def handle(self, *args, **options):
        stale = []
        for profile in PROFILES:
            path = SCHEMAS / f"{profile}.schema.json"
            text = json.dumps(schema(profile), indent=2, ensure_ascii=False) + "\n"
            if options["write"]:
                path.write_text(text, encoding="utf-8")
                self.stdout.write(f"Wrote {path}")
            elif not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        if stale:
            self.stderr.write(f"Out of date: {', '.join(stale)} (run mispers exchange_schemas "
                              "--write)")
            raise SystemExit(1)

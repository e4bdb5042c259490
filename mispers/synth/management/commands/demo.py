"""`mispers demo`: everything a demo needs, idempotently. The README's run command calls
`mispers migrate` and then this. `mispers demo --reset` starts the demo again on a new SQLite
database (ADR 31); it refuses any other database unless told `--flush` as well."""

import datetime as dt
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from mispers.accounts.models import Force
from mispers.accounts.services import forces_load
from mispers.core.clock import now
from mispers.synth.demo import (
    DEMO_PASSWORD,
    demo_disclosure_ensure,
    demo_national_ensure,
    demo_teams_ensure,
    demo_users_ensure,
)
from mispers.synth.duplicates import demo_duplicates_ensure
from mispers.synth.generator import DEMO_FORCE, generate_force
from mispers.synth.management.commands.synth import add_size_options, history_progress
from mispers.synth.partners import (
    demo_organisations_ensure,
    demo_partners_ensure,
    demo_providers,
)
from mispers.synth.plan import WINDOW
from mispers.synth.ring import STREET_NAME, demo_ring_ensure

DEMO_SEED = 1


class Command(BaseCommand):
    help = ("Load the forces, make one demo user per role in Devon and Cornwall and its "
            "synthetic history (seed 1). Safe to run again. --reset starts again on a new "
            "SQLite database.")

    def add_arguments(self, parser):
        add_size_options(parser)
        parser.add_argument(
            "--reset", action="store_true",
            help="start the demo again: delete the SQLite database file (everything in it), "
                 "migrate a new one and load the demo into it. Refused on any other database "
                 "unless --flush is given too")
        parser.add_argument(
            "--flush", action="store_true",
            help="with --reset on a database that is not SQLite (PostgreSQL): delete every row "
                 "of every table in it (Django's flush) instead of refusing")

    def handle(self, *args, **options):
        if options["flush"] and not options["reset"]:
            raise CommandError("--flush only goes with --reset")
        if options["reset"]:
            self._reset(flush=options["flush"])
        loaded = forces_load()
        force = Force.objects.get(code=DEMO_FORCE)
        self.stdout.write(f"Forces: {loaded} loaded. Demo force: {force.name}.")
        logins = demo_users_ensure(force=force)
        made = sum(login.created for login in logins)
        self.stdout.write(f"Demo users: {made} created, {len(logins) - made} already there.")
        started = time.perf_counter()
        # The history ends now (to the hour) so the demo's open cases are today's work; the
        # same seed on the same hour gives the same data. `mispers synth demo --until` pins it.
        until = now().replace(minute=0, second=0, microsecond=0)
        # The partner organisations worked with the force before the history began: the
        # children's homes in it are run by the demo's care providers.
        organisations = demo_organisations_ensure(
            force=force, now=until - WINDOW - dt.timedelta(days=7))
        with history_progress(self.stdout, episodes=options["episodes"]) as progress:
            result = generate_force(force=force, seed=DEMO_SEED, children=options["children"],
                                    episodes=options["episodes"], until=until,
                                    progress=progress,
                                    providers=demo_providers(organisations))
        took = f" in {time.perf_counter() - started:.1f}s" if result.created else ""
        self.stdout.write(result.summary() + took)
        allocated = demo_teams_ensure(force=force, now=until)
        self.stdout.write(f"Teams: two areas, a control room, two response teams and a "
                          f"missing-persons unit; {allocated} cases allocated to an officer "
                          "(the newest medium or high case waits for the control room).")
        disclosed = demo_disclosure_ensure(force=force, now=until)
        if disclosed:
            self.stdout.write(f"A disclosure: {disclosed} is found and the child disclosed "
                              "possible sexual assault at the prevention interview; `officer` "
                              "and `sergeant` are told in My work, with the tasks that follow.")
        partner_logins = demo_partners_ensure(force=force, now=until)
        made = sum(login.created for login in partner_logins)
        self.stdout.write(f"Partner users: {made} created, {len(partner_logins) - made} already "
                          "there (children's services, a children's home, a return-interview "
                          "provider); the children's homes are run by three care providers.")
        duplicates, suggested = demo_duplicates_ensure(force=force, now=until)
        if duplicates:
            self.stdout.write(f"Duplicate records: {duplicates} children recorded again with "
                              f"slips; {suggested} pairs wait in the coordinator's duplicate "
                              "review queue.")
        national = demo_national_ensure(force=force, now=until)
        if national:
            self.stdout.write(f"National hub: {national}; sign in as `national` to see it.")
        ring = demo_ring_ensure(force=force, now=until)
        if ring.girls:
            self.stdout.write(f"Intelligence: an older associate known as {STREET_NAME} is "
                              f"linked to {ring.girls} girls from two children's homes, with his "
                              "car, his phone and a flat (under Associates)" + (
                                  f"; {ring.alerts} hub alerts told `coordinator` in My work "
                                  "and proposed exploitation markers" if ring.alerts else "")
                              + (f"; a missing girl's enquiry log names them: {ring.suggested} "
                                 "suggestions to confirm." if ring.suggested else "."))
        self.stdout.write("")
        self._table(logins + partner_logins)
        self.stdout.write("")
        self.stdout.write(self.style.WARNING(
            f'"{DEMO_PASSWORD}" is a demo password, printed on screen: use these accounts only '
            "for a demo on your own machine, never on a shared or live system."))
        self.stdout.write("All data is synthetic: the children, officers and events are invented.")
        if settings.MISPERS_MFA_REQUIRED:  # ADR 16
            self.stdout.write("A second factor is required (MISPERS_MFA_REQUIRED): each user "
                              "sets up an authenticator app or a security key at first sign-in.")
        else:
            self.stdout.write("A second factor (authenticator app or security key) is optional "
                              "in this demo; production settings require it for every user. "
                              "Set one up under \"Two-factor sign-in\".")
        self.stdout.write(self.style.SUCCESS("Open http://127.0.0.1:8000/ and sign in"))

    def _reset(self, *, flush: bool) -> None:
        """Empty the database before the demo is loaded again: a SQLite file is deleted and
        migrated afresh; another database only with `flush` (every row deleted)."""
        connection = connections[DEFAULT_DB_ALIAS]
        database = connection.settings_dict
        if connection.vendor != "sqlite":
            where = f"{database.get('NAME')} on {database.get('HOST') or 'localhost'}"
            if not flush:
                raise CommandError(
                    f"Refusing to reset: the database is {connection.vendor} ({where}), not the "
                    "demo's SQLite file. `mispers demo --reset` deletes everything in the "
                    "database; add --flush to do that to this one.")
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write(f"Reset: every row of {connection.vendor} ({where}) deleted.")
            return
        name = str(database.get("NAME") or "")
        if not name or name == ":memory:" or name.startswith("file:"):
            raise CommandError(f"Refusing to reset: the SQLite database {name!r} is not a file")
        path = Path(name)
        connection.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        self.stdout.write(f"Reset: deleted {path}; migrating a new database there.")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("If the server (`make run`) is running, stop it and start it again: it "
                          "still has the old database open.")

    def _table(self, logins) -> None:
        rows = [("Username", "Role", "Rank", "Password")]
        rows += [(login.username, login.role, login.rank, login.password) for login in logins]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for number, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(width)
                                        for cell, width in zip(row, widths, strict=True)).rstrip())
            if number == 0:
                self.stdout.write("  ".join("-" * width for width in widths))

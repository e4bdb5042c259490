"""`mispers demo`: everything a demo needs, idempotently. The README's run command calls
`mispers migrate` and then this."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from mispers.accounts.models import Force
from mispers.accounts.services import forces_load
from mispers.core.clock import now
from mispers.synth.demo import (
    DEMO_PASSWORD,
    demo_disclosure_ensure,
    demo_teams_ensure,
    demo_users_ensure,
)
from mispers.synth.duplicates import demo_duplicates_ensure
from mispers.synth.generator import DEMO_FORCE, generate_force
from mispers.synth.management.commands.synth import add_size_options
from mispers.synth.partners import demo_partners_ensure

DEMO_SEED = 1


class Command(BaseCommand):
    help = ("Load the forces, make one demo user per role in Devon and Cornwall and its "
            "synthetic history (seed 1). Safe to run again.")

    def add_arguments(self, parser):
        add_size_options(parser)

    def handle(self, *args, **options):
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
        result = generate_force(force=force, seed=DEMO_SEED, children=options["children"],
                                episodes=options["episodes"], until=until)
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
                          "provider).")
        duplicates, suggested = demo_duplicates_ensure(force=force, now=until)
        if duplicates:
            self.stdout.write(f"Duplicate records: {duplicates} children recorded again with "
                              f"slips; {suggested} pairs wait in the coordinator's duplicate "
                              "review queue.")
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

    def _table(self, logins) -> None:
        rows = [("Username", "Role", "Rank", "Password")]
        rows += [(login.username, login.role, login.rank, login.password) for login in logins]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for number, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(width)
                                        for cell, width in zip(row, widths, strict=True)).rstrip())
            if number == 0:
                self.stdout.write("  ".join("-" * width for width in widths))

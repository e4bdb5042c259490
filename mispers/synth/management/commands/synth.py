"""`mispers synth demo --seed N [--force CODE] [--children 300] [--episodes 1000] [--reset]`:
make a force's synthetic history (deterministic: same seed and options, same data)."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from mispers.accounts.models import Force
from mispers.synth.generator import (
    DEFAULT_CHILDREN,
    DEFAULT_EPISODES,
    DEFAULT_OPEN,
    DEFAULT_UNTIL,
    DEMO_FORCE,
    SynthRefused,
    generate_force,
    synth_reset,
)


def anchor(value: str) -> dt.datetime:
    """An ISO date or date-time; UTC when no offset is given."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--until must be an ISO date or date-time, not {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def add_size_options(parser) -> None:
    parser.add_argument("--children", type=int, default=DEFAULT_CHILDREN,
                        help=f"children to make (default {DEFAULT_CHILDREN})")
    parser.add_argument("--episodes", type=int, default=DEFAULT_EPISODES,
                        help=f"episodes to make (default {DEFAULT_EPISODES})")


class Command(BaseCommand):
    help = "Make synthetic, calibrated demo data for a force through the services."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        demo = actions.add_parser("demo", help="a force's two-year synthetic history")
        demo.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        demo.add_argument("--force", default=DEMO_FORCE, help=f"force code (default {DEMO_FORCE})")
        add_size_options(demo)
        demo.add_argument("--until", type=anchor, default=DEFAULT_UNTIL,
                          help="anchor date: the history ends here (default 2026-11-01T00:00Z)")
        demo.add_argument("--open", type=int, default=DEFAULT_OPEN, dest="open_recent",
                          help=f"episodes left open at the anchor (default {DEFAULT_OPEN})")
        demo.add_argument("--reset", action="store_true",
                          help="delete this force's synthetic data first (refused if the force "
                               "holds any child the generator did not make)")

    def handle(self, *args, **options):
        try:
            force = Force.objects.get(code=options["force"])
        except Force.DoesNotExist as exc:
            raise CommandError(f"No force with code {options['force']!r}: run `mispers demo` "
                               "or load the forces first") from exc
        if options["reset"]:
            try:
                deleted = synth_reset(force=force)
            except SynthRefused as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"Reset: deleted {deleted} synthetic children of {force.name}")
        started = time.perf_counter()
        try:
            result = generate_force(
                force=force, seed=options["seed"], children=options["children"],
                episodes=options["episodes"], until=options["until"],
                open_recent=options["open_recent"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        if not result.created:
            self.stdout.write(f"{force.name} already has synthetic data: nothing done "
                              "(use --reset to make it again).")
        self.stdout.write(result.summary() + (f" in {seconds:.1f}s" if result.created else ""))

"""`mispers synth demo --seed N [--force CODE] [--children 300] [--episodes 1000] [--reset]`:
make a force's synthetic history (deterministic: same seed and options, same data).

`history_progress` is the progress bar of this command and of `mispers demo`: on a terminal a
live bar (the events written of all the history's events), the episodes reported, the time taken
and the time left; a line at every tenth of the way when the output goes to a file or a pipe (a
log keeps the progress too).
"""

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from mispers.accounts.models import Force
from mispers.synth.generator import (
    DEFAULT_CHILDREN,
    DEFAULT_EPISODES,
    DEFAULT_OPEN,
    DEFAULT_UNTIL,
    DEMO_FORCE,
    SynthRefused,
    generate_force,
)
from mispers.synth.reset import synth_reset


def anchor(value: str) -> dt.datetime:
    """An ISO date or date-time; UTC when no offset is given. CommandError (one line, exit 1)
    when it is not one."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--until must be an ISO date or date-time such as 2026-11-01 or "
                           f"2026-11-01T09:00, not {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def add_size_options(parser) -> None:
    parser.add_argument("--children", type=int, default=DEFAULT_CHILDREN,
                        help=f"children to make (default {DEFAULT_CHILDREN})")
    parser.add_argument("--episodes", type=int, default=DEFAULT_EPISODES,
                        help=f"episodes to make (default {DEFAULT_EPISODES})")


def _elapsed(started: float) -> str:
    seconds = int(time.perf_counter() - started)
    return f"{seconds // 60}:{seconds % 60:02d}"


@contextmanager
def history_progress(stdout, *, episodes: int) -> Iterator:
    """A progress callback for generate_force that shows its progress on `stdout` (a command's
    stdout); `episodes` is how many will be reported."""
    out = getattr(stdout, "_out", stdout)  # Django's OutputWrapper adds line endings
    console = Console(file=out, highlight=False)
    out.write("Writing the synthetic history through the services, event by event "
              "(each child recorded, report, grade, ratification, return and closure):\n")
    if console.is_terminal:
        columns = (TextColumn("History"), BarColumn(bar_width=20),
                   TextColumn("{task.fields[reported]}/" f"{episodes} episodes"),
                   TimeElapsedColumn(), TextColumn("elapsed"), TimeRemainingColumn(),
                   TextColumn("left"))
        with Progress(*columns, console=console) as bar:
            task = bar.add_task("history", total=None, reported=0)

            def shown(done: int, total: int, reported: int) -> None:
                bar.update(task, completed=done, total=total, reported=reported)

            yield shown
        return
    started = time.perf_counter()
    said = [-1]

    def written(done: int, total: int, reported: int) -> None:
        tenth = 10 * done // total
        if tenth != said[0]:
            said[0] = tenth
            out.write(f"History: {done}/{total} events, {reported}/{episodes} episodes, "
                      f"{_elapsed(started)} elapsed\n")
            out.flush()

    yield written


class Command(BaseCommand):
    help = "Make synthetic, calibrated demo data for a force through the services."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        demo = actions.add_parser("demo", help="a force's two-year synthetic history")
        demo.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        demo.add_argument("--force", default=DEMO_FORCE, help=f"force code (default {DEMO_FORCE})")
        add_size_options(demo)
        demo.add_argument("--until", default=DEFAULT_UNTIL.isoformat(),
                          help="anchor date: the history ends here (an ISO date or date-time, "
                               "UTC when no offset is given; default 2026-11-01T00:00Z)")
        demo.add_argument("--open", type=int, default=DEFAULT_OPEN, dest="open_recent",
                          help=f"episodes left open at the anchor (default {DEFAULT_OPEN})")
        demo.add_argument("--reset", action="store_true",
                          help="delete this force's synthetic data first (refused if the force "
                               "holds any child the generator did not make)")

        national = actions.add_parser(
            "national", help="a year of extracts for all 43 forces in the exchange format "
                             "(issue 13), with the ground truth beside")
        national.add_argument("--year", required=True, help="a financial year, e.g. 2025-26")
        national.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        national.add_argument("--out", required=True, metavar="DIR", help="the folder to write in")
        national.add_argument("--scale", type=float, default=1.0,
                              help="a share of a national year (default 1: about 75,000 "
                                   "children and 215,000 incidents)")

    def handle(self, *args, **options):
        if options["action"] == "national":
            return self._national(options)
        until = anchor(options["until"])  # before anything is written
        try:
            force = Force.objects.get(code=options["force"])
        except Force.DoesNotExist:
            raise CommandError(f"No force with code {options['force']!r}: run `mispers demo` "
                               "or load the forces first") from None
        if options["reset"]:
            try:
                deleted = synth_reset(force=force)
            except SynthRefused as exc:
                raise CommandError(exc.message) from None
            self.stdout.write(f"Reset: deleted {deleted} synthetic children of {force.name}")
        started = time.perf_counter()
        try:
            with history_progress(self.stdout, episodes=options["episodes"]) as progress:
                result = generate_force(
                    force=force, seed=options["seed"], children=options["children"],
                    episodes=options["episodes"], until=until,
                    open_recent=options["open_recent"], progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        seconds = time.perf_counter() - started
        if not result.created:
            self.stdout.write(f"{force.name} already has synthetic data: nothing done "
                              "(use --reset to make it again).")
        self.stdout.write(result.summary() + (f" in {seconds:.1f}s" if result.created else ""))

    def _national(self, options):
        from pathlib import Path

        from mispers.core.errors import DomainError
        from mispers.national.tables import Year
        from mispers.synth.national import national_synth

        try:
            year = Year.parse(options["year"])
        except DomainError as error:
            raise CommandError(error.message) from None
        out = Path(options["out"])
        if not out.is_dir():
            raise CommandError(f"No folder {str(out)!r} to write the extracts in")
        if not 0 < options["scale"] <= 10:
            raise CommandError(f"--scale must be more than 0 and at most 10, not "
                               f"{options['scale']}")
        started = time.perf_counter()
        result = national_synth(year_first=year.first, seed=options["seed"], out=out,
                                scale=options["scale"])
        made = result.calibration
        self.stdout.write(f"{len(result.files)} force extracts for {year} in {out}: "
                          f"{made['child_incidents']} incidents of {made['children']} children "
                          f"({made['children_in_two_forces']} in two forces, "
                          f"{made['child_records']} child records) in "
                          f"{time.perf_counter() - started:.1f}s")
        self.stdout.write(f"Ground truth: {result.truth}; calibration beside it:")
        for key, pair in made["figures"].items():
            self.stdout.write(f"  {key:24} {pair['generated']:>8} (target {pair['target']})")

"""The nightly duplicate check, run by the huey consumer beside the sweeper.

Each force with children is checked at 02:30 (a quiet hour for the control room), so a child
recorded twice during the day is waiting in the coordinator's review queue next morning.
`dedupe_run` is idempotent (a pair already suggested, whatever became of it, is never suggested
again), so a repeated or late run is harmless; `mispers dedupe --force CODE` runs it by hand.
"""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from mispers.accounts.models import Force
from mispers.core import clock
from mispers.people.models import Child

from .dedupe import dedupe_run

logger = logging.getLogger(__name__)


def dedupe_all_forces(*, now) -> dict[str, int]:
    """Run the duplicate check for every force that has children; new suggestions per force."""
    force_ids = Child.objects.filter(merged_into__isnull=True).values("force_id").distinct()
    suggested = {}
    for force in Force.objects.filter(pk__in=force_ids).order_by("code"):
        result = dedupe_run(force=force, actor=None, now=now)
        suggested[force.code] = result.suggested
        if result.suggested:
            logger.info("dedupe %s: %d new pairs for review", force.code, result.suggested)
    return suggested


@db_periodic_task(crontab(hour="2", minute="30"), name="matching.dedupe_nightly")
@lock_task("mispers-matching-dedupe")
def dedupe_nightly() -> dict[str, int]:
    return dedupe_all_forces(now=clock.now())

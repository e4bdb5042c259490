"""Background jobs, run by the huey consumer (`mispers run_huey`, started by `make run`).

The sweeper runs every minute. It is idempotent (run twice at the same `now`, the second run
creates nothing), so a late, repeated or overlapping run is harmless; the lock only saves a
second consumer from doing the same work twice. Overdue lists never depend on it: they are
computed from the deadline rows.
"""

import json
import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from mispers.core import clock

from .escalation import sweep

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"), name="reviews.sweep")
@lock_task("mispers-reviews-sweep")
def sweep_every_minute() -> dict[str, int]:
    counts = sweep(now=clock.now())
    if any(counts.values()):
        logger.info("sweep %s", json.dumps(counts))
    return counts

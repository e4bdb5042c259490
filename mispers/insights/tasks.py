"""The force picture's refresh, run by the huey consumer beside the sweeper (ADR 43).

Every five minutes each force's default view (the last 12 whole months, the period before and
a year earlier, no filter) is made again where its data changed, so the page an analyst opens
first is warm; any other period or filter is made on demand and then kept. Idempotent: a
snapshot whose stamp still matches is left alone, so a late or repeated run costs a few
queries. The figures never depend on this job: a stale snapshot is never served.
"""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from mispers.core import clock

from .engine import refresh_all

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/5"), name="insights.refresh")
@lock_task("mispers-insights-refresh")
def refresh_every_five_minutes() -> dict[str, int]:
    return refresh_all(now=clock.now())

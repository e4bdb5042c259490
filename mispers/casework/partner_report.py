"""A partner reports a child missing from the partner screens (Philomena part 2): the workflow,
in order and in one transaction.

1. The report is checked and built from the child's Philomena profile and part 2
   (`partners.services.reports.partner_report_prepare`, which locks the child: two carers pressing
   the button at once make one report).
2. It becomes the police report through the same workflow as any report
   (`casework.report.episode_report`): unowned and ungraded, the risk assessment stays with police.
3. Part 2 is kept with it (`partner_report_keep`).
4. Nobody owns it yet, so it lands in the control room's queue with a clock to grade it (the
   policy's `partner_report_grade_due_hours`; issue 10, ADR 24)."""

import datetime as dt

from django.db import transaction

from mispers.accounts.models import Team
from mispers.episodes.models import Episode, ReportedVia
from mispers.episodes.services import episode_touch
from mispers.partners.services.reports import (
    Part2,
    partner_report_keep,
    partner_report_prepare,
)
from mispers.people.models import Child
from mispers.reviews.services import clocks_on_partner_report

from .report import episode_report


@transaction.atomic
def partner_report_submit(*, actor, now: dt.datetime, child: Child, part2: Part2) -> Episode:
    """Report `child` missing from the partner screens: the police report is created in the
    child's force's queue, pre-filled from the profile and part 2, and part 2 is kept."""
    draft = partner_report_prepare(actor=actor, now=now, child=child, part2=part2)
    episode = episode_report(actor=actor, now=now, details=draft.details, child=draft.child,
                             force=draft.child.force, reported_via=ReportedVia.PARTNER,
                             prefilled_fields=draft.prefilled)
    partner_report_keep(actor=actor, now=now, episode=episode, draft=draft, part2=part2)
    control_room = Team.objects.filter(force_id=episode.force_id, is_control_room=True).first()
    if control_room is not None:
        episode_touch(episode=episode, actor=actor, now=now, team=control_room)
    clocks_on_partner_report(episode=episode, now=now)
    return episode

"""Record the return: the workflow when a child is found or comes back, in order and in one
transaction (issue 10, ADR 25).

1. The found record; the clocks that run only while a child is missing stop
   (`returns.services.found_save`). Open actions stay open: each is done, or cancelled with a
   reason by a supervisor, before the case can close.
2. Unless the child was found deceased: the prevention interview's clock and the return-home
   interview referral (`returns.services.interviews_open`), and the partners responsible told, with
   the interview they must offer (`partners.services.alerts.partner_alerts_found`; e-mail on
   commit).
3. The return checklist: actions due within the policy's `return_checklist_due_hours`, for the
   officer in the case (`RETURN_CHECKLIST`).
4. What harm sets in motion (`harm.after_found`): a harmed or victim child's notices and tasks,
   or the route for a child found deceased.
5. Issue 14 (ADR 51): found at a place linked to other missing children joins the child to that
   place's exploitation hub: the coordinator and the officer in the case are told and a marker
   is proposed (`intelligence.after_found_place`)."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from mispers.episodes.models import Episode, TimelineEvent
from mispers.episodes.services import timeline_record
from mispers.partners.services.alerts import partner_alerts_found
from mispers.places.details import PlaceDetails
from mispers.places.services import place_create
from mispers.repeats.models import TriggerPlan
from mispers.returns.models import Condition, FoundRecord
from mispers.returns.services import found_save, interviews_open
from mispers.reviews.clocks import hours
from mispers.reviews.services import action_create
from mispers.risk.selectors import policy_for_force

from .harm import after_found, officer_in_case
from .intelligence import after_found_place

# Every return: the circulations made while missing are cancelled, the child is seen, and the
# people who were told the child was missing are told they are back.
RETURN_CHECKLIST = {
    "return_cancel_circulations": "Cancel the circulations made while the child was missing "
                                  "(Police National Computer and any others)",
    "return_safe_and_well": "Safe and well check: see the child and record how they are",
    "return_tell_people": "Tell the person who reported the child, and the partners involved, "
                          "that the child is back",
}
TRIGGER_PLAN_REVIEW = {
    "return_review_trigger_plan": "Review the child's trigger plan in the light of this episode",
}
# A child found deceased: the circulations still end; the rest is the critical-incident route.
DECEASED_CHECKLIST = {"return_cancel_circulations": RETURN_CHECKLIST["return_cancel_circulations"]}


@transaction.atomic
def return_record(*, actor, now: dt.datetime, episode: Episode, found_at: dt.datetime,
                  found_where: str, found_by: str, condition: str,
                  harms: Iterable[str] = (), notes: str = "",
                  expected_version: int | None = None, found_place=None) -> FoundRecord:
    """The child is found or has returned. `found_place`: a Place of the force, or
    PlaceDetails of a place recorded with the return (issue 11)."""
    if isinstance(found_place, PlaceDetails):
        found_place = place_create(actor=actor, now=now, details=found_place)
    record = found_save(actor=actor, now=now, episode=episode, found_at=found_at,
                        found_where=found_where, found_by=found_by, condition=condition,
                        harms=harms, notes=notes, expected_version=expected_version,
                        found_place=found_place)
    deceased = record.condition == Condition.DECEASED
    if not deceased:
        rhi = interviews_open(actor=actor, now=now, episode=episode, record=record)
        partner_alerts_found(actor=actor, now=now, episode=episode, found_at=found_at,
                             rhi_due_at=rhi.due_at)
    _checklist(actor=actor, now=now, episode=episode, deceased=deceased)
    after_found(actor=actor, now=now, episode=episode, record=record)
    after_found_place(actor=actor, now=now, episode=episode, record=record)
    return record


def _checklist(*, actor, now: dt.datetime, episode: Episode, deceased: bool) -> None:
    tasks = dict(DECEASED_CHECKLIST if deceased else RETURN_CHECKLIST)
    if not deceased and TriggerPlan.objects.filter(child_id=episode.child_id,
                                                   active=True).exists():
        tasks.update(TRIGGER_PLAN_REVIEW)
    due = now + hours(policy_for_force(episode.force).deadlines.return_checklist_due_hours)
    owner = officer_in_case(episode)
    for code, title in tasks.items():
        action_create(actor=actor, now=now, episode=episode, code=code, title=title, due_at=due,
                      assigned_to=owner, source="return")
    timeline_record(episode=episode, at=now, actor=actor,
                    code=TimelineEvent.Code.RETURN_CHECKLIST,
                    summary=f"Return checklist: {len(tasks)} actions due by {due:%d %b %H:%M}"
                            + (f" for {owner.display_with_rank}" if owner else
                               ", for whoever takes the case"),
                    data={"codes": list(tasks)})

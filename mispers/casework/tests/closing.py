"""Test helpers for closing a case (issue 10): the summary every closure needs, and `settle`, which
does what a closure waits for (every open action done, the return-home interview resolved) so a
test about something else can close."""

from django.db import transaction

from mispers.casework.close import rhi_resolved
from mispers.episodes.models import Action
from mispers.returns.models import MarkerProposal, ReturnHomeInterview
from mispers.returns.services import (
    ClosingDetails,
    marker_proposal_decide,
    return_interview_update,
)
from mispers.reviews.services import action_complete

SUMMARY = ClosingDetails(what_happened="Found at a friend's house in Exeter",
                         why_went="An argument at home about curfew",
                         risks_found="No new risks found",
                         what_next="Trigger plan reviewed with the family")
SUMMARY_BODY = {"what_happened": SUMMARY.what_happened, "why_went": SUMMARY.why_went,
                "risks_found": SUMMARY.risks_found, "what_next": SUMMARY.what_next}


@transaction.atomic
def settle(episode, *, actor, now):
    """Record every open action done, every proposed marker rejected and the return-home
    interview declined by the child."""
    for proposal in MarkerProposal.objects.filter(episode=episode,
                                                  status=MarkerProposal.Status.PROPOSED):
        marker_proposal_decide(actor=actor, now=now, proposal=proposal, confirm=False,
                               note="Not borne out")
    for action in Action.objects.filter(episode=episode, done_at__isnull=True):
        action_complete(actor=actor, now=now, action=action, result="Done")
    interview = ReturnHomeInterview.objects.filter(episode=episode).first()
    if interview is not None and not rhi_resolved(interview):
        return_interview_update(actor=actor, now=now, interview=interview, offered_at=now,
                                response="declined")

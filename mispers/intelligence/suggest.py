"""Where the free text officers write is read for suggestions (issue 14, ADR 49): the enquiry log,
the prevention interview and the return-home interview of each of a child's episodes. Reading
makes suggestions only; a person confirms each before anything is linked.

Called by the workflows that save those texts (so a suggestion is ready when the officer opens
the child) and by the child's page ("Look for suggestions again"), which reads every text of the
child, so records written before this existed are read too. Reading twice suggests nothing
twice (one suggestion per text and value)."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db import transaction

from .models import Source, Suggestion
from .permissions import can_link_child
from .services import suggestions_from_text

INTERVIEW_FIELDS = {
    "prevention": ("where_child_was", "with_whom", "why_left", "harm_disclosed",
                   "child_account"),
    "rhi": ("where_went", "with_whom", "why_left", "harm", "child_words"),
}


def _joined(record, fields) -> str:
    return "\n".join(getattr(record, name) or "" for name in fields)


def enquiry_read(*, actor, now: dt.datetime, entry) -> list[Suggestion]:
    """Suggestions from one enquiry-log entry (its text, where and who saw)."""
    episode = entry.episode
    text = "\n".join(part for part in (entry.text, entry.location, entry.seen_by) if part)
    return suggestions_from_text(actor=actor, now=now, child=episode.child, episode=episode,
                                 source=Source.ENQUIRY_LOG, source_ref=f"enquiry:{entry.pk}",
                                 text=text)


def prevention_interview_read(*, actor, now: dt.datetime, interview) -> list[Suggestion]:
    episode = interview.episode
    return suggestions_from_text(
        actor=actor, now=now, child=episode.child, episode=episode,
        source=Source.PREVENTION_INTERVIEW, source_ref=f"prevention:{interview.pk}",
        text=_joined(interview, INTERVIEW_FIELDS["prevention"]))


def rhi_source_ref(interview) -> str:
    """How the suggestions read from one return-home interview name it."""
    return f"rhi:{interview.pk}"


def return_home_interview_read(*, actor, now: dt.datetime, interview) -> list[Suggestion]:
    episode = interview.episode
    return suggestions_from_text(
        actor=actor, now=now, child=episode.child, episode=episode,
        source=Source.RETURN_HOME_INTERVIEW, source_ref=rhi_source_ref(interview),
        text=_joined(interview, INTERVIEW_FIELDS["rhi"]))


@transaction.atomic
def child_texts_read(*, actor, now: dt.datetime, child) -> list[Suggestion]:
    """Read every enquiry-log entry and interview of the child's episodes."""
    if not can_link_child(actor, child):
        return []
    enquiry = apps.get_model("episodes", "EnquiryEntry")
    prevention = apps.get_model("returns", "PreventionInterview")
    rhi = apps.get_model("returns", "ReturnHomeInterview")
    made: list[Suggestion] = []
    for entry in enquiry.objects.filter(episode__child=child).select_related("episode__child"):
        made += enquiry_read(actor=actor, now=now, entry=entry)
    for interview in prevention.objects.filter(episode__child=child).select_related(
            "episode__child"):
        made += prevention_interview_read(actor=actor, now=now, interview=interview)
    for interview in rhi.objects.filter(episode__child=child).select_related("episode__child"):
        made += return_home_interview_read(actor=actor, now=now, interview=interview)
    return made

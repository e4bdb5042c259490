"""An entry in the enquiry log, as a workflow (issue 14): the entry is recorded by its service,
then its text is read for phone numbers, registrations and known names, kept as suggestions for
an officer to confirm (nothing is linked until someone does). Pages and the API call this."""

import datetime as dt

from django.db import transaction

from mispers.episodes.models import EnquiryEntry
from mispers.intelligence.suggest import enquiry_read
from mispers.reviews.services import enquiry_record


@transaction.atomic
def enquiry_workflow(*, actor, now: dt.datetime, episode, **fields) -> EnquiryEntry:
    entry = enquiry_record(actor=actor, now=now, episode=episode, **fields)
    enquiry_read(actor=actor, now=now, entry=entry)
    return entry

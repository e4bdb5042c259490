"""Record a child: the child's record (`people.services.child_save`) and, in the same transaction,
the identity keys intake matching searches by (`matching.services.identity_keys_refresh`), so a
child just recorded is found by the next call handler's search."""

import datetime as dt

from django.db import transaction

from mispers.matching.services import identity_keys_refresh
from mispers.people.details import ChildDetails
from mispers.people.models import Child
from mispers.people.services import child_save


@transaction.atomic
def child_create(*, actor, now: dt.datetime, force, details: ChildDetails) -> Child:
    child = child_save(actor=actor, now=now, force=force, details=details)
    identity_keys_refresh(child=child)
    return child

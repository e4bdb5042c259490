"""What a partner user may see: only the children their organisation is responsible for, and of
those children only what happened while it was responsible. Everything else answers NotFound, so
a page or API answers 404 exactly as if the record did not exist.

Rules (ADR 0010):
- An organisation sees a child while one of its responsibilities covers today ("current"), and
  keeps sight of a child it was responsible for in the past ("former") only for the episodes
  reported while it was responsible: after a move the old home loses new information.
- Episodes are visible when reported on a day one of the organisation's responsibilities for that
  child covers.
"""

import datetime as dt

from django.db.models import Q, QuerySet

from mispers.accounts.roles import PARTNER_ROLES
from mispers.core.errors import NotFound
from mispers.episodes.models import Episode
from mispers.people.models import Child

from .models import PartnerOrganisation, Responsibility


def is_partner(user) -> bool:
    return bool(user.is_authenticated and getattr(user, "organisation_id", None)
                and user.role_codes & PARTNER_ROLES)


def _covering(day: dt.date) -> Q:
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gt=day))


def responsibilities_of(*, user) -> QuerySet[Responsibility]:
    """Every responsibility (current, past and future-dated) of the user's organisation."""
    if not is_partner(user):
        return Responsibility.objects.none()
    return Responsibility.objects.filter(organisation_id=user.organisation_id)


def partner_children(*, user, on: dt.date) -> QuerySet[Child]:
    """The children the user's organisation is responsible for on `on` (its caseload)."""
    child_ids = responsibilities_of(user=user).filter(_covering(on)).values("child_id")
    return Child.objects.filter(pk__in=child_ids, merged_into__isnull=True)


def partner_child_for(*, user, child_id, on: dt.date) -> Child:
    """A child the organisation is or was responsible for (up to `on`), or NotFound."""
    try:
        return Child.objects.filter(
            pk__in=responsibilities_of(user=user).filter(starts_on__lte=on).values("child_id"),
            merged_into__isnull=True,
        ).get(pk=child_id)
    except (Child.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("Child not found") from exc


def is_currently_responsible(*, user, child, on: dt.date) -> bool:
    return responsibilities_of(user=user).filter(_covering(on), child=child).exists()


def partner_episodes(*, user, child=None) -> QuerySet[Episode]:
    """Episodes reported on a day one of the organisation's responsibilities for the child
    covered. One query; the window test is a correlated EXISTS."""
    from django.db.models import Exists, OuterRef
    from django.db.models.functions import TruncDate

    covering = responsibilities_of(user=user).filter(
        child_id=OuterRef("child_id"), starts_on__lte=OuterRef("reported_on"),
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=OuterRef("reported_on")))
    qs = Episode.objects.annotate(reported_on=TruncDate("reported_at")).filter(Exists(covering))
    if child is not None:
        qs = qs.filter(child=child)
    return qs.exclude(state=Episode.State.WITHDRAWN)


def partner_episode_for(*, user, episode_id) -> Episode:
    try:
        return partner_episodes(user=user).select_related("child").get(pk=episode_id)
    except (Episode.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("Episode not found") from exc


def organisations_responsible(*, child, on: dt.date, kinds=None) -> QuerySet[PartnerOrganisation]:
    """The organisations responsible for the child on `on` (for alerts and the police view)."""
    resp = Responsibility.objects.filter(_covering(on), child=child)
    if kinds:
        resp = resp.filter(kind__in=kinds)
    return PartnerOrganisation.objects.filter(pk__in=resp.values("organisation_id"), active=True)

"""Reads for managing partner organisations and their users (ADR 0013).

Police side: a force administrator manages, and the missing persons coordinator reads, the
partner organisations working with *their* force; an organisation not linked to the user's force
answers NotFound (404), as if it did not exist. Partner side: a partner administrator sees their
own organisation's users only. Counts are correlated subqueries, so a list costs the same few
queries whatever the number of organisations, users or children."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from mispers.accounts.models import User, UserRole
from mispers.accounts.roles import Role
from mispers.core.errors import NotFound

from .models import PartnerOrganisation, Responsibility
from .selectors import is_partner

MANAGE_ROLES = frozenset({Role.FORCE_ADMIN})
READ_ROLES = frozenset({Role.FORCE_ADMIN, Role.COORDINATOR})


def _police(user) -> bool:
    return bool(user.is_authenticated and user.force_id and not user.organisation_id)


def can_read_organisations(user) -> bool:
    return _police(user) and bool(user.role_codes & READ_ROLES)


def can_manage_organisations(user) -> bool:
    return _police(user) and bool(user.role_codes & MANAGE_ROLES)


def can_manage_team(user) -> bool:
    """A partner administrator of an active organisation (their own organisation's users)."""
    return is_partner(user) and Role.PARTNER_ADMIN in user.role_codes


def _covering(on: dt.date) -> Q:
    return Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gt=on))


def _counted(queryset: QuerySet, expression) -> Coalesce:
    return Coalesce(Subquery(queryset.order_by().values("organisation")
                             .annotate(n=expression).values("n")[:1],
                             output_field=IntegerField()), 0)


def with_counts(queryset: QuerySet[PartnerOrganisation], *, on: dt.date):
    """Each organisation with `active_users`, `inactive_users` and `children_now` (the children
    it is responsible for on `on`, merged-away records left out)."""
    users = User.objects.filter(organisation=OuterRef("pk"))
    children = Responsibility.objects.filter(_covering(on), organisation=OuterRef("pk"),
                                             child__merged_into__isnull=True)
    return queryset.annotate(
        active_users=_counted(users.filter(is_active=True), Count("pk")),
        inactive_users=_counted(users.filter(is_active=False), Count("pk")),
        children_now=_counted(children, Count("child", distinct=True)),
    )


def organisations_for(*, user, on: dt.date) -> QuerySet[PartnerOrganisation]:
    """The organisations working with the user's force, with their counts (none for anyone
    who may not read them)."""
    if not can_read_organisations(user):
        return PartnerOrganisation.objects.none()
    return with_counts(PartnerOrganisation.objects.filter(forces=user.force_id),
                       on=on).order_by("name", "pk")


def organisation_for(*, user, organisation_id, on: dt.date) -> PartnerOrganisation:
    """One organisation: for police, linked to their force; for a partner administrator, their
    own. NotFound otherwise (including a malformed id)."""
    if can_read_organisations(user):
        queryset = PartnerOrganisation.objects.filter(forces=user.force_id)
    elif can_manage_team(user):
        queryset = PartnerOrganisation.objects.filter(pk=user.organisation_id)
    else:
        raise NotFound("Organisation not found")
    try:
        return with_counts(queryset, on=on).prefetch_related("forces").get(pk=organisation_id)
    except (PartnerOrganisation.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise NotFound("Organisation not found") from exc


def organisation_users(*, organisation: PartnerOrganisation) -> QuerySet[User]:
    """The organisation's users, active first, each with their roles (two queries)."""
    return (User.objects.filter(organisation=organisation)
            .prefetch_related(Prefetch("roles", queryset=UserRole.objects.order_by("role")))
            .order_by("-is_active", "last_name", "first_name", "username"))


def partner_user_for(*, user, partner_user_id) -> User:
    """A partner user whom `user` may manage: of an organisation linked to a force
    administrator's force, or of a partner administrator's own organisation. NotFound for
    anyone else (police users included)."""
    if can_manage_organisations(user):
        queryset = User.objects.filter(organisation__forces=user.force_id)
    elif can_manage_team(user):
        queryset = User.objects.filter(organisation_id=user.organisation_id)
    else:
        raise NotFound("User not found")
    try:
        return queryset.select_related("organisation").distinct().get(pk=partner_user_id)
    except (User.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise NotFound("User not found") from exc


def organisations_to_link(*, user) -> QuerySet[PartnerOrganisation]:
    """Active organisations not yet working with the force administrator's force, which they may
    link to it. Only names and kinds are shown: organisations are public bodies and providers,
    and what they work on elsewhere stays hidden (their page is 404 until linked)."""
    if not can_manage_organisations(user):
        return PartnerOrganisation.objects.none()
    return (PartnerOrganisation.objects.filter(active=True)
            .exclude(forces=user.force_id).only("id", "name", "kind").order_by("name", "pk"))

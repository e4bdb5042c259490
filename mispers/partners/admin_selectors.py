"""Reads for managing partner organisations and their users (ADR 0013).

Police side: a force administrator manages, and the missing persons coordinator reads, the
partner organisations working with *their* force; an organisation not linked to the user's force
answers NotFound (404), as if it did not exist. Partner side: a partner administrator sees their
own organisation's users only. Counts are correlated subqueries, so a list costs the same few
queries whatever the number of organisations, users or children.

Force scoping (ADR 0014): "working with the force" means an *active* OrganisationForceLink; a
force administrator sees and counts only their own force's users (the link's members) and
children, never what the organisation does for other forces."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from mispers.accounts.models import User, UserRole
from mispers.core.errors import NotFound

from .models import (
    OrganisationForceLink,
    OrganisationLinkEvent,
    PartnerOrganisation,
    Responsibility,
)
from .permissions import (  # noqa: F401
    _police,
    can_manage_organisations,
    can_manage_team,
    can_read_organisations,
)
from .selectors import partner_force_ids

Status = OrganisationForceLink.Status



def _covering(on: dt.date) -> Q:
    return Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gt=on))


def _counted(queryset: QuerySet, expression) -> Coalesce:
    return Coalesce(Subquery(queryset.order_by().values("organisation")
                             .annotate(n=expression).values("n")[:1],
                             output_field=IntegerField()), 0)


def with_counts(queryset: QuerySet[PartnerOrganisation], *, on: dt.date, force_id=None,
                force_ids=None):
    """Each organisation with `active_users`, `inactive_users` and `children_now` (the children
    it is responsible for on `on`, merged-away records left out). With `force_id` (a force
    administrator) only that force's users and children count; with `force_ids` (a partner
    administrator) only those forces' children."""
    users = User.objects.filter(organisation=OuterRef("pk"))
    children = Responsibility.objects.filter(_covering(on), organisation=OuterRef("pk"),
                                             child__merged_into__isnull=True)
    if force_id is not None:
        users = users.filter(partner_links__organisation=OuterRef("pk"),
                             partner_links__force_id=force_id)
        children = children.filter(child__force_id=force_id)
    if force_ids is not None:
        children = children.filter(child__force_id__in=force_ids)
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
    return with_counts(PartnerOrganisation.objects.working_with(user.force_id),
                       on=on, force_id=user.force_id).order_by("name", "pk")


def organisation_for(*, user, organisation_id, on: dt.date) -> PartnerOrganisation:
    """One organisation: for police, linked to their force; for a partner administrator, their
    own. NotFound otherwise (including a malformed id)."""
    if can_read_organisations(user):
        queryset = with_counts(PartnerOrganisation.objects.working_with(user.force_id), on=on,
                               force_id=user.force_id)
    elif can_manage_team(user):
        queryset = with_counts(PartnerOrganisation.objects.filter(pk=user.organisation_id),
                               on=on, force_ids=partner_force_ids(user=user))
    else:
        raise NotFound("Organisation not found")
    try:
        return queryset.get(pk=organisation_id)
    except (PartnerOrganisation.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise NotFound("Organisation not found") from exc


def organisation_users(*, organisation: PartnerOrganisation, force_id=None,
                       members: bool = True) -> QuerySet[User]:
    """The organisation's users, active first, each with their roles (two queries). With
    `force_id`, those working for that force (`members`) or the others (`members=False`: the
    users a force administrator may add to their force to share its children with them)."""
    users = User.objects.filter(organisation=organisation)
    if force_id is not None:
        working = OrganisationForceLink.objects.filter(
            organisation=organisation, force_id=force_id).values("members")
        users = users.filter(pk__in=working) if members else users.exclude(pk__in=working)
    return (users.prefetch_related(Prefetch("roles", queryset=UserRole.objects.order_by("role")))
            .order_by("-is_active", "last_name", "first_name", "username"))


def partner_user_for(*, user, partner_user_id) -> User:
    """A partner user whom `user` may manage: of an organisation linked to a force
    administrator's force, or of a partner administrator's own organisation. NotFound for
    anyone else (police users included)."""
    if can_manage_organisations(user):
        queryset = User.objects.filter(
            organisation__in=PartnerOrganisation.objects.working_with(user.force_id))
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
    taken = OrganisationForceLink.objects.filter(
        force_id=user.force_id, status__in=[Status.ACTIVE, Status.REQUESTED])
    return (PartnerOrganisation.objects.filter(active=True)
            .exclude(pk__in=taken.values("organisation_id"))
            .only("id", "name", "kind").order_by("name", "pk"))


# --- links between organisations and forces (ADR 0014) ----------------------------------------

def requests_to_decide(*, user) -> QuerySet[OrganisationForceLink]:
    """Waiting link requests this user may accept or decline: a force administrator's, for the
    organisations their force works with (another force asking); a partner administrator's,
    for their organisation when they work for a force other than the one asking."""
    waiting = OrganisationForceLink.objects.filter(status=Status.REQUESTED).select_related(
        "organisation", "force", "requested_by")
    if can_manage_organisations(user):
        return (waiting.filter(organisation__in=PartnerOrganisation.objects.working_with(
            user.force_id)).exclude(force_id=user.force_id).order_by("requested_at"))
    if can_manage_team(user):
        mine = OrganisationForceLink.objects.filter(organisation_id=user.organisation_id,
                                                    members=user)
        return (waiting.filter(organisation_id=user.organisation_id)
                .filter(Exists(mine.exclude(force_id=OuterRef("force_id"))))
                .order_by("requested_at"))
    return OrganisationForceLink.objects.none()


def own_requests(*, user) -> QuerySet[OrganisationForceLink]:
    """The force's own waiting requests (a force administrator may withdraw them)."""
    if not can_read_organisations(user):
        return OrganisationForceLink.objects.none()
    return (OrganisationForceLink.objects.filter(force_id=user.force_id, status=Status.REQUESTED)
            .select_related("organisation", "requested_by").order_by("requested_at"))


def links_of(*, organisation: PartnerOrganisation) -> QuerySet[OrganisationForceLink]:
    """Every link of an organisation the user may already see (forces by name and status)."""
    return (OrganisationForceLink.objects.filter(organisation=organisation)
            .select_related("force", "requested_by", "decided_by", "ended_by")
            .order_by("force__name"))


def link_for(*, user, link_id) -> OrganisationForceLink:
    """A link the user may see: of an organisation their force works with or has asked to, or of
    their own organisation (a partner administrator). NotFound otherwise."""
    queryset = OrganisationForceLink.objects.select_related("organisation", "force")
    if can_read_organisations(user):
        queryset = queryset.filter(
            Q(force_id=user.force_id)
            | Q(organisation__in=PartnerOrganisation.objects.working_with(user.force_id)))
    elif can_manage_team(user):
        queryset = queryset.filter(organisation_id=user.organisation_id)
    else:
        raise NotFound("Link not found")
    try:
        return queryset.get(pk=link_id)
    except (OrganisationForceLink.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise NotFound("Link not found") from exc


def link_events_for(*, user, organisation: PartnerOrganisation, limit: int = 50):
    """The organisation's link record as the user may read it: every request, decision and end
    (the forces are told of these anyway), and who joined or left the user's own force (a force
    administrator) or the forces they work for (a partner administrator)."""
    events = OrganisationLinkEvent.objects.filter(organisation=organisation)
    if can_read_organisations(user):
        own = Q(force_id=user.force_id)
    else:
        own = Q(force_id__in=partner_force_ids(user=user))
    personal = [OrganisationLinkEvent.Code.MEMBER_ADDED, OrganisationLinkEvent.Code.MEMBER_REMOVED]
    return (events.filter(own | ~Q(code__in=personal)).select_related("actor", "force", "user")
            .order_by("-at", "-id")[:limit])

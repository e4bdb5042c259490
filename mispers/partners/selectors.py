"""What a partner user may see: only the children their organisation is responsible for, and of
those children only what happened while it was responsible. Everything else answers NotFound, so
a page or API answers 404 exactly as if the record did not exist.

Rules (ADR 0010):
- An organisation sees a child while one of its responsibilities covers today ("current"), and
  keeps sight of a child it was responsible for in the past ("former") only for the episodes
  reported while it was responsible: after a move the old home loses new information.
- Episodes are visible when reported on a day one of the organisation's responsibilities for that
  child covers.
- Philomena profiles: a current organisation sees every profile of the child (the latest is
  "the" profile); a former one sees only its own, which it can no longer change.
- Users of an inactive organisation see nothing.
- Everything is also scoped by force (ADR 0014): a partner user sees a child only when the
  child's force is one they work for, i.e. the organisation's link to that force is active and
  the user is one of the link's members. A user that force B added never sees force A's
  children, episodes, profiles, interviews or alerts unless force A adds them to its link.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncDate

from mispers.accounts.roles import PARTNER_ROLES
from mispers.core.errors import NotFound
from mispers.episodes.models import Episode
from mispers.people.models import Child

from .models import OrganisationForceLink, PartnerOrganisation, PhilomenaProfile, Responsibility

# What partners see of an episode's state (ADR 0010): grades and police workflow stay police-only.
PARTNER_STATUS = {
    Episode.State.REPORTED: "Missing",
    Episode.State.OPEN: "Missing",
    Episode.State.FOUND: "Found",
    Episode.State.CLOSED: "Closed",
}
RHI_DUE_HOURS = 72


def is_partner(user) -> bool:
    return bool(user.is_authenticated and getattr(user, "organisation_id", None)
                and user.role_codes & PARTNER_ROLES and user.organisation.active)


def partner_force_ids(*, user) -> QuerySet:
    """The forces the partner user works for, as a subquery of force ids: active links of their
    organisation of which they are a member. Empty for anyone who is not a partner user."""
    if not is_partner(user):
        return OrganisationForceLink.objects.none().values("force_id")
    return OrganisationForceLink.objects.filter(
        organisation_id=user.organisation_id, status=OrganisationForceLink.Status.ACTIVE,
        members=user).values("force_id")


def works_for_force(*, user, force_id) -> bool:
    return partner_force_ids(user=user).filter(force_id=force_id).exists()


def partner_users_working_for(*, force_id):
    """Active partner users who work for `force_id` through an active link (for alerts)."""
    from mispers.accounts.models import User

    return User.objects.filter(
        is_active=True, organisation__active=True,
        partner_links__force_id=force_id,
        partner_links__status=OrganisationForceLink.Status.ACTIVE).distinct()


def _covering(day: dt.date) -> Q:
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gt=day))


def responsibilities_of(*, user) -> QuerySet[Responsibility]:
    """Every responsibility (current, past and future-dated) of the user's organisation for a
    child of a force the user works for (the one place partner scoping starts from)."""
    if not is_partner(user):
        return Responsibility.objects.none()
    return Responsibility.objects.filter(organisation_id=user.organisation_id,
                                         child__force_id__in=partner_force_ids(user=user))


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
        ).prefetch_related("aliases").get(pk=child_id)
    except (Child.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise NotFound("Child not found") from exc


def partner_access(*, user, child, on: dt.date, kinds=None) -> str | None:
    """"current" when one of the organisation's responsibilities (of `kinds`, if given) covers
    `on`, "former" when one started before and has ended, None otherwise."""
    resp = responsibilities_of(user=user).filter(child=child, starts_on__lte=on)
    if kinds:
        resp = resp.filter(kind__in=kinds)
    ends = list(resp.values_list("ends_on", flat=True))
    if not ends:
        return None
    return "current" if any(end is None or end > on for end in ends) else "former"


def is_currently_responsible(*, user, child, on: dt.date) -> bool:
    return responsibilities_of(user=user).filter(_covering(on), child=child).exists()


def partner_episodes(*, user, child=None) -> QuerySet[Episode]:
    """Episodes reported on a day one of the organisation's responsibilities for the child
    covered. One query; the window test is a correlated EXISTS."""
    covering = responsibilities_of(user=user).filter(
        child_id=OuterRef("child_id"), starts_on__lte=OuterRef("reported_on"),
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=OuterRef("reported_on")))
    qs = (Episode.objects.annotate(reported_on=TruncDate("reported_at"))
          .filter(Exists(covering), force_id__in=partner_force_ids(user=user)))
    if child is not None:
        qs = qs.filter(child=child)
    return qs.exclude(state=Episode.State.WITHDRAWN)


def partner_episode_for(*, user, episode_id) -> Episode:
    try:
        return partner_episodes(user=user).select_related("child").get(pk=episode_id)
    except (Episode.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise NotFound("Episode not found") from exc


def organisations_responsible(*, child, on: dt.date, kinds=None) -> QuerySet[PartnerOrganisation]:
    """The organisations responsible for the child on `on` (for alerts and the police view):
    active ones with an active link to the child's force."""
    resp = Responsibility.objects.filter(_covering(on), child=child)
    if kinds:
        resp = resp.filter(kind__in=kinds)
    return PartnerOrganisation.objects.working_with(child.force_id).filter(
        pk__in=resp.values("organisation_id"), active=True)


# --- Philomena profiles ------------------------------------------------------------------------

def profile_is_stale(profile: PhilomenaProfile | None, *, today: dt.date) -> bool:
    """Stale once the review period has passed since the last review (90 days by default)."""
    if profile is None:
        return False
    return profile.last_reviewed_at.date() + dt.timedelta(days=profile.review_period_days) < today


def profiles_for_partner(*, user, child, on: dt.date) -> QuerySet[PhilomenaProfile]:
    access = partner_access(user=user, child=child, on=on)
    qs = PhilomenaProfile.objects.filter(child=child).select_related(
        "organisation", "last_reviewed_by")
    if access == "current":
        return qs
    if access == "former":
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


def latest_profile_for_partner(*, user, child, on: dt.date) -> PhilomenaProfile | None:
    return profiles_for_partner(user=user, child=child, on=on).order_by("-last_reviewed_at").first()


def latest_profile(*, child) -> PhilomenaProfile | None:
    """The child's profile for police (of the child's force: the caller has checked): the most
    recently reviewed one, whoever keeps it."""
    return (PhilomenaProfile.objects.filter(child=child)
            .select_related("organisation", "last_reviewed_by")
            .order_by("-last_reviewed_at").first())


def photo_profile_for(*, user, profile_id, on: dt.date) -> PhilomenaProfile:
    """The profile whose photo `user` asks for: police of the child's force, or a partner who
    may see that profile. NotFound otherwise (and when there is no photo)."""
    from mispers.accounts.rules import is_police_user

    try:
        profile = PhilomenaProfile.objects.select_related("child").get(pk=profile_id)
    except (PhilomenaProfile.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise NotFound("Photo not found") from exc
    if not profile.photo:
        raise NotFound("Photo not found")
    if is_police_user(user) and user.force_id == profile.child.force_id:
        return profile
    if profiles_for_partner(user=user, child=profile.child, on=on).filter(pk=profile.pk).exists():
        return profile
    raise NotFound("Photo not found")


# --- Pages ------------------------------------------------------------------------------------

# The released fields of an episode and its return, for the partner lists (loading only these
# also keeps the pages fast: no report text or JSON is decoded for a list).
_EPISODE_ROW_FIELDS = (
    "id", "reference", "state", "reported_at", "last_seen_at", "child_id",
    "found__found_at", "found__found_where", "found__episode_id",
    "return_home_interview__due_at", "return_home_interview__completed_at",
    "return_home_interview__response", "return_home_interview__episode_id")


def missing_history(*, user, child) -> list[Episode]:
    """The child's missing history as the organisation may see it, newest first: reported, last
    seen, found (when and where) and the return-home interview due time. Released fields only."""
    return list(partner_episodes(user=user, child=child)
                .select_related("found", "return_home_interview")
                .only(*_EPISODE_ROW_FIELDS)
                .order_by("-reported_at"))


def caseload_for(*, user, on: dt.date) -> QuerySet[Child]:
    """The partner home page's list: the organisation's current children by name (paginate it,
    then pass a page to `caseload_rows`)."""
    return (partner_children(user=user, on=on)
            .only("id", "given_name", "family_name", "date_of_birth", "estimated_age",
                  "estimated_age_on")
            .order_by(F("family_name").asc(), F("given_name").asc(), "pk"))


@dataclass
class CaseloadRow:
    child: Child
    episode: Episode | None  # the latest episode the organisation may see
    profile: PhilomenaProfile | None  # the latest profile (current organisations see all)


def caseload_rows(*, user, children: list[Child]) -> list[CaseloadRow]:
    """For one page of the caseload: each child's latest visible episode (with its found record
    and return-home interview) and latest profile. Three queries for any page or history size:
    the two ids by correlated subqueries on this page's children only (not the whole caseload,
    which SQLite would otherwise evaluate before sorting), then the episodes and the profiles."""
    if not children:
        return []
    latest = (partner_episodes(user=user).filter(child_id=OuterRef("pk"))
              .order_by("-reported_at").values("pk")[:1])
    profile = (PhilomenaProfile.objects.filter(child_id=OuterRef("pk"))
               .order_by("-last_reviewed_at").values("pk")[:1])
    ids = {pk: (episode_id, profile_id) for pk, episode_id, profile_id in (
        Child.objects.filter(pk__in=[c.pk for c in children])
        .annotate(episode_id=Subquery(latest), profile_id=Subquery(profile))
        .values_list("pk", "episode_id", "profile_id"))}
    episode_ids = [e for e, _p in ids.values() if e]
    episodes = {e.pk: e for e in Episode.objects.filter(pk__in=episode_ids)
                .select_related("found", "return_home_interview")
                .only(*_EPISODE_ROW_FIELDS)} if episode_ids else {}
    profiles = PhilomenaProfile.objects.only(
        "id", "last_reviewed_at", "review_period_days").in_bulk(
        [p for _e, p in ids.values() if p])
    return [CaseloadRow(child=c, episode=episodes.get(ids.get(c.pk, (None, None))[0]),
                        profile=profiles.get(ids.get(c.pk, (None, None))[1]))
            for c in children]


def missing_now_for(*, user, on: dt.date) -> QuerySet[Episode]:
    """The organisation's children missing now (for the top of the home page)."""
    return (partner_episodes(user=user)
            .filter(state__in=[Episode.State.REPORTED, Episode.State.OPEN],
                    child__in=partner_children(user=user, on=on))
            .select_related("child")
            .only("id", "reference", "reported_at", "child_id", "child__id",
                  "child__given_name", "child__family_name")
            .order_by("-reported_at"))


def photo_profiles_of_children(*, child_ids) -> dict:
    """child id -> the most recently reviewed Philomena profile with a photo, for police of the
    children's force (the caller has checked): the photo a call handler recognises a child by."""
    found: dict = {}
    for profile in (PhilomenaProfile.objects.filter(child_id__in=list(child_ids))
                    .exclude(photo="").order_by("child_id", "-last_reviewed_at")):
        found.setdefault(profile.child_id, profile)
    return found


# --- the child's placement and authority: one truth, conflicts shown (issue 11, ADR 38) -------

@dataclass(frozen=True)
class RecordConflict:
    """The police record and a partner responsibility disagree about the child's placement or
    responsible authority. Shown on the child's page until someone says which is right."""

    field: str  # "local_authority" or "placement"
    label: str
    police: str
    partner: str
    responsibility: Responsibility


def current_responsibility(*, child, kind: str, on: dt.date) -> Responsibility | None:
    """The child's one current placing authority or home (a new one ends the old)."""
    return (Responsibility.objects.filter(_covering(on), child=child, kind=kind)
            .select_related("organisation").order_by("-starts_on").first())


def record_conflicts(*, child, on: dt.date) -> list[RecordConflict]:
    """Where the police record names another authority or placement than the partner
    responsibilities current on `on`. A partner responsibility with nothing on the police
    record is not a conflict (the record is only incomplete)."""
    conflicts = []
    authority = current_responsibility(child=child, kind=Responsibility.Kind.PLACING_AUTHORITY,
                                       on=on)
    if authority is not None and (not child.looked_after or child.local_authority.strip()
                                  .casefold() != authority.organisation.name.casefold()):
        conflicts.append(RecordConflict(
            field="local_authority", label="Local authority", responsibility=authority,
            police=(child.local_authority or "None recorded") if child.looked_after
            else "Not looked after", partner=authority.organisation.name))
    home = current_responsibility(child=child, kind=Responsibility.Kind.HOME, on=on)
    placement = child.placement
    if (home is not None and placement is not None and placement.provider_id is not None
            and placement.provider_id != home.organisation_id):
        conflicts.append(RecordConflict(
            field="placement", label="Placement", responsibility=home,
            police=f"{placement.name}, run by {placement.provider}",
            partner=f"{home.organisation} (home or placement)"))
    return conflicts

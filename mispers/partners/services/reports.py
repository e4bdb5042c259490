"""Reporting a child missing from the partner screens (Philomena part 2).

The partner's report becomes the police report (an Episode) in the queue of the child's force,
unowned and ungraded: the risk assessment stays with police. The report's fields are filled from
the child's Philomena profile (part 1), part 2 and the reporting user, and the episode records
which ones (`Episode.prefilled_fields`) so the call handler asks only what is missing."""

import datetime as dt
from dataclasses import dataclass

from mispers.accounts.roles import PARTNER_REPORT_ROLES as REPORT_ROLES
from mispers.accounts.roles import Role
from mispers.core.errors import DomainError, NotFound
from mispers.episodes.models import Episode, MissingFrom
from mispers.episodes.services import ReportDetails, timeline_record
from mispers.people.models import Child

from ..models import PartnerOrganisation, PartnerReport, PhilomenaProfile
from ..selectors import latest_profile_for_partner, partner_access
from .profiles import clean_text

# Report field -> where a partner's report takes it from (shown on the police episode page).
FIELD_SOURCES = {
    "reported_by_name": "reporter",
    "reported_by_relationship": "reporter",
    "reported_by_contact": "reporter",
    "missing_from": "reporter",
    "last_seen_at": "part2",
    "last_seen_where": "part2",
    "clothing": "part2",
    "circumstances": "part2",
    "possible_whereabouts": "profile",
    "description": "profile",  # the child's description, when police have none
}
SOURCE_LABELS = {"reporter": "The reporting partner", "part2": "Part 2 (when missing)",
                 "profile": "Philomena profile (part 1)"}
FIELD_LABELS = {
    "reported_by_name": "Name of the person reporting",
    "reported_by_relationship": "Their relationship to the child",
    "reported_by_contact": "Their contact details",
    "missing_from": "Missing from",
    "last_seen_at": "When last seen",
    "last_seen_where": "Where last seen",
    "clothing": "Clothing",
    "circumstances": "Circumstances (and what has been done to find them)",
    "possible_whereabouts": "Possible whereabouts",
    "description": "Description",
}
# Profile items the call handler would otherwise ask for, shown beside the report.
PROFILE_ITEMS = ("photo", "physical_description", "friends_and_associates", "places_frequented",
                 "medical_needs", "medication", "phone", "social_media", "transport")



class PartnerReportError(DomainError):
    """The partner's report cannot be made (already reported, bad times)."""


@dataclass(frozen=True)
class Part2:
    last_seen_at: dt.datetime
    last_seen_where: str
    clothing: str = ""
    actions_taken: str = ""
    circumstances: str = ""
    reporter_phone: str = ""


def _whereabouts(profile: PhilomenaProfile | None) -> str:
    if profile is None:
        return ""
    parts = []
    if profile.places_frequented.strip():
        parts.append(f"Places frequented (Philomena profile): {profile.places_frequented.strip()}")
    if profile.friends_and_associates.strip():
        parts.append("Friends and associates (Philomena profile): "
                     f"{profile.friends_and_associates.strip()}")
    return "\n\n".join(parts)


def _circumstances(part2: Part2) -> str:
    parts = [clean_text(part2.circumstances)]
    if part2.actions_taken.strip():
        parts.append(f"What has been done to find them: {clean_text(part2.actions_taken)}")
    return "\n\n".join(p for p in parts if p)


def _missing_from(*, organisation: PartnerOrganisation, child: Child) -> str:
    if organisation.kind == PartnerOrganisation.Kind.CARE_PROVIDER or child.looked_after:
        return MissingFrom.CARE
    return MissingFrom.HOME


def prefilled_fields_for(profile: PhilomenaProfile | None, part2: Part2, *,
                         child: Child | None = None) -> list[str]:
    """The report fields a partner's report fills, in FIELD_SOURCES order: the reporter's
    details and "missing from" always (they come from the signed-in user and the organisation),
    part 2's fields when given, and from the profile the possible whereabouts and, when police
    hold no description of `child` (or no child is given), the description."""
    filled = {"reported_by_name", "reported_by_relationship", "reported_by_contact",
              "missing_from"}
    if part2.last_seen_at is not None:
        filled.add("last_seen_at")
    if part2.last_seen_where.strip():
        filled.add("last_seen_where")
    if part2.clothing.strip():
        filled.add("clothing")
    if _circumstances(part2):
        filled.add("circumstances")
    if _whereabouts(profile):
        filled.add("possible_whereabouts")
    if (profile is not None and profile.physical_description.strip()
            and (child is None or not child.description.strip())):
        filled.add("description")
    return [name for name in FIELD_SOURCES if name in filled]


def profile_items_for(profile: PhilomenaProfile | None) -> list[str]:
    """The profile items (beyond the report fields) the call handler can read instead of ask."""
    if profile is None:
        return []
    return [name for name in PROFILE_ITEMS
            if (bool(profile.photo) if name == "photo" else str(getattr(profile, name)).strip())]


def _reporter_contact(actor, organisation: PartnerOrganisation, phone: str) -> str:
    parts = [clean_text(phone), actor.email or organisation.email]
    return "; ".join(p for p in parts if p)[:200] or organisation.name[:200]


@dataclass(frozen=True)
class PartnerReportDraft:
    """What a partner's report will file, once checked: the police report's details and the
    fields the partner's data filled."""
    child: Child
    details: ReportDetails
    prefilled: list[str]
    profile: PhilomenaProfile | None


def partner_report_prepare(*, actor, now: dt.datetime, child: Child,
                           part2: Part2) -> PartnerReportDraft:
    """Check a partner's report and build the police report from the profile and part 2. Call
    inside the report workflow's transaction (`mispers.casework.partner_report`): it locks the
    child so that two carers pressing the button at once make one report, not two."""
    today = now.date()
    if partner_access(user=actor, child=child, on=today) != "current":
        # Not responsible now (never, or no longer): as if the child did not exist.
        raise NotFound("Child not found")
    if not actor.role_codes & REPORT_ROLES:
        raise PartnerReportError("Return-interview workers cannot report a child missing here: "
                                 "call the police on 101, or 999 in an emergency")
    child = Child.objects.select_for_update().get(pk=child.pk)
    active = (Episode.objects.filter(child=child, state__in=[Episode.State.REPORTED,
                                                               Episode.State.OPEN])
              .order_by("-reported_at").first())
    if active is not None:
        raise PartnerReportError(
            f"{child.full_name} is already reported missing (police reference "
            f"{active.reference}). Call the police with anything new rather than reporting "
            "again.")
    if part2.last_seen_at is None:
        raise PartnerReportError("Enter when the child was last seen", field="last_seen_at")
    if part2.last_seen_at > now:
        raise PartnerReportError("Last seen cannot be in the future", field="last_seen_at")
    if not part2.last_seen_where.strip():
        raise PartnerReportError("Enter where the child was last seen", field="last_seen_where")

    organisation = actor.organisation
    profile = latest_profile_for_partner(user=actor, child=child, on=today)
    role = next((Role(code).label for code in sorted(actor.role_codes & REPORT_ROLES)), "")
    details = ReportDetails(
        reported_at=now,
        reported_by_name=actor.get_full_name() or actor.username,
        reported_by_relationship=f"{role}, {organisation.name}"[:100],
        reported_by_contact=_reporter_contact(actor, organisation, part2.reporter_phone),
        last_seen_at=part2.last_seen_at,
        last_seen_where=clean_text(part2.last_seen_where)[:300],
        missing_from=_missing_from(organisation=organisation, child=child),
        circumstances=_circumstances(part2),
        clothing=clean_text(part2.clothing),
        possible_whereabouts=_whereabouts(profile),
    )
    prefilled = prefilled_fields_for(profile, part2, child=child)
    if "description" in prefilled:
        # Police hold no description: the carers' one is the best there is. The child's history
        # records that it came with this report.
        child.description = profile.physical_description.strip()
        child.stamp(actor=actor, now=now)
        child.save(update_fields=["description", "modified_at", "modified_by"])
    return PartnerReportDraft(child=child, details=details, prefilled=prefilled,
                              profile=profile)


def partner_report_keep(*, actor, now: dt.datetime, episode: Episode, draft: PartnerReportDraft,
                        part2: Part2) -> PartnerReport:
    """Keep part 2 with the police report it became, and say so on the episode's timeline."""
    organisation = actor.organisation
    report = PartnerReport(
        episode=episode, organisation=organisation, profile=draft.profile,
        clothing=draft.details.clothing, last_seen_at=part2.last_seen_at,
        last_seen_where=draft.details.last_seen_where,
        actions_taken=clean_text(part2.actions_taken),
        circumstances=clean_text(part2.circumstances))
    report.stamp(actor=actor, now=now)
    report.save()
    prefilled = draft.prefilled
    timeline_record(
        episode=episode, at=now, actor=actor, code="partner_report",
        summary=f"Reported through the partner screens by {organisation.name}: "
                f"{len(prefilled)} report fields pre-filled"
                f"{' from the Philomena profile and part 2' if draft.profile else ' from part 2'}",
        data={"organisation": str(organisation.pk), "prefilled_fields": prefilled,
              "profile": str(draft.profile.pk) if draft.profile else None})
    return report

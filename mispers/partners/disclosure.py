"""What partners may see: every field a partner organisation can ever be shown, declared once
(ADR 0015). Partner pages, alerts (in the system and by email), the partner API and the partner
templates read records only through the names listed here; tests walk every one of them and
fail when anything else appears.

Two lists per record:
- RELEASED: shown to the organisations the scoping rules let see the record
  (mispers.partners.selectors decides *which* records; this module decides *which fields*);
- RELEASABLE: police-only fields of an episode that police may release deliberately, one at a
  time, with a reason, into the information-sharing log (services.sharing.field_release). Only
  the text as released is shown, to the organisations that saw the episode then.

Everything not listed is police-only: the grade and the whole risk assessment, markers and
intelligence, the enquiry log, actions, reviews, handovers, the owner, the report's
circumstances, where the child was last seen and where found as police typed them, how they were
found and in what condition, the found notes, the prevention interview, ethnicity, addresses and
the police description. Police free text is never put into anything a partner reads unless it
is released here, because officers write intelligence into it ("found at X's flat, known to
deal")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

# --- the declaration ----------------------------------------------------------------------------

# Per record: the attribute and key names partners may read. Relations (episode.found,
# episode.child, interview.episode) only lead to another record, whose own list then applies.
RELEASED: dict[str, frozenset[str]] = {
    "child": frozenset({
        "id", "pk", "given_name", "family_name", "full_name", "date_of_birth", "age",
        "aliases", "latest_episode"}),
    "episode": frozenset({
        "id", "pk", "episode_id", "reference", "child", "child_id", "status", "status_label",
        "partner_status", "reported_at", "last_seen_at", "found", "found_at",
        "return_home_interview", "interview", "released"}),
    # Of the found record only the time: where, by whom, condition, harms and notes are police's.
    "found": frozenset({"found_at", "episode_id"}),
    # The return-home interview's progress and clock: every organisation seeing the episode.
    "interview": frozenset({
        "id", "pk", "episode", "episode_id", "referred_at", "due_at", "overdue",
        "overdue_seconds", "stage", "stage_label", "offered_at", "response", "completed_at",
        "within_72_hours", "provider", "provider_name", "provider_id", "local_authority",
        "shared_at", "version", "findings_frozen"}),  # ADR 20: version sent back with a change
    # Its findings: the provider's own record, read by the provider and the placing authority
    # only (working_selectors.can_read_findings), never the home.
    "interview_findings": frozenset({
        "interviewer_name", "where_went", "with_whom", "why_left", "harm", "indicators",
        "indicator_labels", "what_would_help", "child_words",
        # ADR 20: the provider's own addenda only (police addenda stay with police).
        "partner_addenda"}),
    "addendum": frozenset({"id", "pk", "at", "author", "organisation", "reason", "text"}),
    # The Philomena profile is the carers' own record (part 1).
    "profile": frozenset({
        "id", "pk", "physical_description", "photo", "photo_taken_on",
        "friends_and_associates", "places_frequented", "medical_needs", "medication", "phone",
        "social_media", "transport", "other_information", "review_period_days",
        "last_reviewed_at", "last_reviewed_by", "organisation", "child_id"}),
    "alert": frozenset({
        "id", "pk", "kind", "episode", "episode_id", "subject", "body", "created_at",
        "acknowledged_at"}),
    # The sharing log as a partner administrator reads it (never a release's reason).
    "sharing": frozenset({
        "id", "pk", "at", "what", "child", "child_id", "organisation", "force", "shared_by",
        "channel", "basis", "get_basis_display", "episode", "episode_id"}),
    # A field police released: what, its text as released, when and on what basis.
    "release": frozenset({"field", "label", "value", "at", "basis", "basis_label"}),
}


@dataclass(frozen=True)
class Releasable:
    record: str  # "episode" or "found"
    label: str
    hint: str


# Police-only fields of an episode that police may release to partners, with a reason.
RELEASABLE: dict[str, Releasable] = {
    "last_seen_where": Releasable("episode", "Where last seen",
                                  "so carers can search near where the child was last seen"),
    "clothing": Releasable("episode", "What they were wearing",
                           "so carers and staff can recognise the child"),
    "possible_whereabouts": Releasable("episode", "Possible whereabouts",
                                       "so carers can check the places named"),
    "found_where": Releasable("found", "Where found",
                              "so the return-home interview can ask about the place"),
}

# Fields of the police forms and what happens to them (the forms' hints say so).
FORM_FIELDS_TO_PARTNERS = {
    "report": ("the child's name, date of birth and aliases", "when the report was made",
               "when the child was last seen"),
    "found": ("when the child was found", "when the return-home interview is due"),
}
FORM_RELEASABLE = {
    "report": ("last_seen_where", "clothing", "possible_whereabouts"),
    "found": ("found_where",),
}


def _and(parts) -> str:
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


def form_hint(form: str) -> str:
    """The sentence a police form shows about what partners are told."""
    told = _and(FORM_FIELDS_TO_PARTNERS[form])
    releasable = _and([f"'{RELEASABLE[name].label.lower()}'" for name in FORM_RELEASABLE[form]])
    return (f"Partners responsible for the child (placing authority, home, return-interview "
            f"provider) are told only {told}. Everything else on this form stays with police: "
            f"{releasable} can be released to them later from the episode page, one field at a "
            f"time with a reason, and the release is written to the information-sharing log. "
            f"Never write intelligence into a field you intend to release.")


# --- what partners read -------------------------------------------------------------------------

@dataclass(frozen=True)
class ReleasedField:
    """A police-only field as released to partners (RELEASED["release"])."""

    field: str
    label: str
    value: str
    at: dt.datetime
    basis: str
    basis_label: str


def releases_for(*, organisation_id, episode_ids) -> dict:
    """The fields police released to `organisation_id` for each of `episode_ids`: the latest
    release of each field, as {episode_id: [ReleasedField]}. One query. The caller has checked
    that the organisation may see those episodes."""
    from .models import FieldRelease

    if not organisation_id or not episode_ids:
        return {}
    out: dict = {}
    seen = set()
    rows = (FieldRelease.objects.filter(episode_id__in=list(episode_ids),
                                        organisations=organisation_id)
            .only("episode_id", "field", "value", "at", "basis").order_by("-at", "-id"))
    for row in rows:
        if (row.episode_id, row.field) in seen or row.field not in RELEASABLE:
            continue
        seen.add((row.episode_id, row.field))
        out.setdefault(row.episode_id, []).append(ReleasedField(
            field=row.field, label=RELEASABLE[row.field].label, value=row.value, at=row.at,
            basis=row.basis, basis_label=row.get_basis_display()))
    for fields in out.values():
        fields.sort(key=lambda f: list(RELEASABLE).index(f.field))
    return out


def releasable_value(*, episode, field: str) -> str:
    """The current police text of a releasable field (empty when there is none)."""
    spec = RELEASABLE[field]
    if spec.record == "found":
        found = getattr(episode, "found", None)
        return (getattr(found, field, "") or "") if found is not None else ""
    return getattr(episode, field, "") or ""


# --- alerts -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AlertFacts:
    """Everything an alert may say (RELEASED child and episode fields): nothing else is in reach
    of the alert text."""

    child_name: str
    reference: str
    reported_at: dt.datetime | None
    last_seen_at: dt.datetime | None
    found_at: dt.datetime | None = None
    due_at: dt.datetime | None = None


def alert_facts(*, episode, found_at=None, due_at=None) -> AlertFacts:
    child = episode.child
    return AlertFacts(child_name=child.full_name, reference=episode.reference,
                      reported_at=episode.reported_at, last_seen_at=episode.last_seen_at,
                      found_at=found_at, due_at=due_at)


def when(value: dt.datetime) -> str:
    """A time as partners read it: local, day, month, year and hour."""
    return f"{timezone.localtime(value):%d %b %Y %H:%M}"

"""Alerts to partners: when a child an organisation is responsible for is reported missing, when
they are found (which starts the 72-hour return-home interview clock) and when a provider is
commissioned for the interview.

Each alert is an in-system notification to every active user of each responsible organisation
and an email to those users and the organisation's shared inbox. Alert text is built only from
`disclosure.AlertFacts` (the child's name, the episode reference, when reported, when last seen,
when found and the interview's due time), the fields declared released in
mispers.partners.disclosure: never the risk grade, its rationale, police intelligence, actions,
or police free text such as where the child was last seen or found (ADR 0015). The email carries
less again, no name, because email leaves the system (ADR 0011).
Each alert is written to the information-sharing log, one row per organisation and channel."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from mispers.core.errors import DomainError, NotFound
from mispers.episodes.models import Episode, TimelineEvent
from mispers.episodes.services import timeline_record
from mispers.reviews.models import Notification

from ..disclosure import AlertFacts, alert_facts, when
from ..models import PartnerOrganisation, SharingRecord
from ..selectors import organisations_responsible, partner_users_working_for
from .sharing import sharing_record


class AlertRefused(DomainError):
    """This alert cannot be acknowledged (someone else's, or already acknowledged)."""


MISSING = "partner_missing"
FOUND = "partner_found"
COMMISSIONED = "partner_rhi_commissioned"
ALERT_KINDS = (MISSING, FOUND, COMMISSIONED)


@dataclass(frozen=True)
class _Alert:
    kind: str
    subject: str
    body: str
    email_subject: str
    email_body: str
    what: str
    basis: str


def _send(*, episode: Episode, organisations: list[PartnerOrganisation], alert: _Alert,
          actor, now: dt.datetime) -> int:
    """Notify every active user of `organisations`, email them and the shared inboxes after
    commit, log what was shared. Returns how many people were notified."""
    if not organisations:
        return 0
    # Only users working for the episode's force (ADR 0014).
    users = list(partner_users_working_for(force_id=episode.force_id)
                 .filter(organisation__in=organisations)
                 .only("id", "email", "organisation_id").order_by("id"))
    Notification.objects.bulk_create([
        Notification(recipient_id=user.pk, episode=episode, kind=alert.kind,
                     subject=alert.subject[:300], body=alert.body, created_at=now)
        for user in users])
    outbox = []
    for organisation in organisations:
        addresses = sorted({user.email for user in users
                            if user.organisation_id == organisation.pk and user.email}
                           | ({organisation.email} if organisation.email else set()))
        sharing_record(actor=actor, now=now, child=episode.child, episode=episode,
                       organisation=organisation, what=alert.what, basis=alert.basis,
                       channel="system")
        if addresses:
            sharing_record(actor=actor, now=now, child=episode.child, episode=episode,
                           organisation=organisation, basis=alert.basis, channel="email",
                           what=f"{alert.email_subject} (no name or place)")
            outbox.extend((alert.email_subject, alert.email_body,
                           settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses)
    if outbox:
        transaction.on_commit(lambda: send_mass_mail(outbox, fail_silently=True))
    names = ", ".join(organisation.name for organisation in organisations)
    timeline_record(episode=episode, at=now, actor=actor, code=TimelineEvent.Code.PARTNERS_ALERTED,
                    summary=f"{alert.what}: sent to {names} ({len(users)} people)",
                    data={"kind": alert.kind,
                          "organisations": [str(o.pk) for o in organisations]})
    return len(users)


def _responsible(episode: Episode, now: dt.datetime) -> list[PartnerOrganisation]:
    return list(organisations_responsible(child=episode.child, on=timezone.localdate(now))
                .order_by("name"))


def missing_alert(facts: AlertFacts) -> _Alert:
    return _Alert(
        kind=MISSING, subject=f"Missing: {facts.child_name} ({facts.reference})",
        body=(f"{facts.child_name} was reported missing to police on "
              f"{when(facts.reported_at)}, last seen {when(facts.last_seen_at)}. If you hear "
              f"from them, or they come back, tell police at once and quote {facts.reference}."),
        email_subject=f"Mispers: a child you are responsible for is missing ({facts.reference})",
        email_body=("Police have recorded a child your organisation is responsible for as "
                    f"missing. Reference {facts.reference}. Sign in to Mispers to see who and "
                    "what you can do."),
        what=f"Missing alert for {facts.reference}", basis=SharingRecord.Basis.SAFEGUARDING)


def found_alert(facts: AlertFacts) -> _Alert:
    return _Alert(
        kind=FOUND, subject=f"Found: {facts.child_name} ({facts.reference})",
        body=(f"Police recorded {facts.child_name} as found on {when(facts.found_at)}. The "
              f"return-home interview must be offered by {when(facts.due_at)} (72 hours after "
              "the return)."),
        email_subject=f"Mispers: a child you are responsible for has been found "
                      f"({facts.reference})",
        email_body=(f"Police have recorded the child in {facts.reference} as found. The "
                    f"return-home interview must be offered by {when(facts.due_at)}. Sign in to "
                    "Mispers for the details."),
        what=f"Found alert for {facts.reference}", basis=SharingRecord.Basis.STATUTORY_GUIDANCE)


def commissioned_alert(facts: AlertFacts, provider_name: str) -> _Alert:
    return _Alert(
        kind=COMMISSIONED,
        subject=f"Return-home interview for {facts.child_name} ({facts.reference})",
        body=(f"Police have asked {provider_name} to carry out the return-home interview for "
              f"{facts.child_name}, who returned after {facts.reference}. Offer it by "
              f"{when(facts.due_at)}."),
        email_subject=f"Mispers: a return-home interview for you ({facts.reference})",
        email_body=(f"Police have asked your organisation to carry out a return-home interview "
                    f"for {facts.reference}. Offer it by {when(facts.due_at)}. Sign in to "
                    "Mispers for the details."),
        what=f"Return-home interview referral for {facts.reference}",
        basis=SharingRecord.Basis.STATUTORY_GUIDANCE)


@transaction.atomic
def partner_alerts_missing(*, actor, now: dt.datetime, episode: Episode) -> int:
    """The child is reported missing: alert the organisations responsible for them today."""
    return _send(episode=episode, organisations=_responsible(episode, now),
                 alert=missing_alert(alert_facts(episode=episode)), actor=actor, now=now)


@transaction.atomic
def partner_alerts_found(*, actor, now: dt.datetime, episode: Episode, found_at: dt.datetime,
                         rhi_due_at: dt.datetime) -> int:
    """The child is found: alert the organisations responsible for them today, with the time the
    return-home interview must be offered by."""
    facts = alert_facts(episode=episode, found_at=found_at, due_at=rhi_due_at)
    return _send(episode=episode, organisations=_responsible(episode, now),
                 alert=found_alert(facts), actor=actor, now=now)


@transaction.atomic
def partner_alert_commissioned(*, actor, now: dt.datetime, episode: Episode,
                               provider: PartnerOrganisation, due_at: dt.datetime) -> int:
    """Police chose `provider` for the episode's return-home interview: tell its users."""
    facts = alert_facts(episode=episode, due_at=due_at)
    return _send(episode=episode, organisations=[provider],
                 alert=commissioned_alert(facts, provider.name), actor=actor, now=now)


@transaction.atomic
def partner_alert_acknowledge(*, actor, now: dt.datetime, notification_id) -> Notification:
    """A partner user acknowledges an alert addressed to them (anyone else's answers NotFound)."""
    try:
        notification = Notification.objects.select_for_update().get(
            pk=notification_id, recipient_id=actor.pk, kind__in=ALERT_KINDS)
    except (Notification.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("Alert not found") from exc
    if notification.acknowledged_at is not None:
        raise AlertRefused("You have already acknowledged this alert")
    notification.acknowledged_at = now
    notification.save(update_fields=["acknowledged_at"])
    return notification

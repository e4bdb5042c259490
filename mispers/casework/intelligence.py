"""Intelligence links as workflows (issue 14, ADR 51): a link is made (by hand, by confirming a
suggestion read from free text, by a merge that moves links, or by a found place at a return),
then the hub check: did it join this child to an exploitation hub, an associate, vehicle, phone,
handle or place linked to the policy's number of children in its window (`intelligence.hubs`)?

When it did, in the same transaction:
1. the force's coordinators and the officer in the case of the child's open (else latest)
   episode are told at once (a notification of kind `exploitation_hub`, e-mailed on commit);
2. an exploitation marker is proposed on that episode, with the marker decision's deadline,
   unless the child has an active exploitation marker or a proposal waiting;
3. the child's intelligence timeline records it (`hub_alert`).

A child is alerted once per hub: a later link of the same child to the same hub tells no one
again. The next risk assessment sees the hub in the policy context
(`linked_to_exploitation_hub`) and shows it on the grading page.

Pages and the API call these, never the intelligence services' link writes directly, so no way
of linking skips the check."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db import transaction

from mispers.accounts.models import User
from mispers.accounts.roles import Role
from mispers.episodes.models import Episode
from mispers.intelligence.child_hubs import ChildHub, hubs_of_child
from mispers.intelligence.hubs import HubRule, NodeKey, node_key_of_link
from mispers.intelligence.models import Entity, EntityMerge, HandlingCode, Link, Suggestion
from mispers.intelligence.services import (
    entity_merge,
    hub_alert_record,
    hub_alerted,
    link_create,
    suggestion_confirm,
)
from mispers.people.models import Child, Marker, MarkerSubtype
from mispers.returns.models import Indicator, MarkerProposal
from mispers.returns.services import marker_propose_for_hub
from mispers.risk.selectors import policy_for_force

from .harm import _notify, officer_in_case

HUB_NOTIFICATION = "exploitation_hub"
# A hub whose other children carry markers of one kind of exploitation points to that kind.
INDICATOR_OF_SUBTYPE = {MarkerSubtype.SEXUAL: Indicator.SEXUAL_EXPLOITATION,
                        MarkerSubtype.CRIMINAL: Indicator.CRIMINAL_EXPLOITATION,
                        MarkerSubtype.TRAFFICKING: Indicator.TRAFFICKING}


@dataclass(frozen=True)
class HubAlert:
    """A child newly joined to a hub: the hub, who was told, the marker proposed (or None)."""

    hub: ChildHub
    episode: Episode | None
    told: tuple[User, ...]
    proposal: MarkerProposal | None

    @property
    def message(self) -> str:
        return (f"Linked to an exploitation hub: {self.hub.label}, linked to {self.hub.size} "
                "children. The coordinator and the officer in the case were told"
                + (" and an exploitation marker was proposed." if self.proposal else "."))


@dataclass(frozen=True)
class Linked:
    link: Link
    alert: HubAlert | None


def _case_episode(child) -> Episode | None:
    """The child's open episode, else the latest."""
    episodes = Episode.objects.filter(child_id=child.pk).select_related("owner", "child")
    open_ = (episodes.exclude(state__in=[Episode.State.CLOSED, Episode.State.WITHDRAWN])
             .order_by("-reported_at").first())
    return open_ or episodes.order_by("-reported_at").first()


def _coordinators(force_id) -> list[User]:
    return list(User.objects.filter(force_id=force_id, is_active=True,
                                    roles__role=Role.COORDINATOR)
                .distinct().order_by("last_name", "first_name", "id"))


def _indicators(*, hub: ChildHub, child, on: dt.date) -> list[str]:
    """The kind of exploitation the hub points to: the one kind its other children's active
    exploitation markers share, or none ("other")."""
    others = [pk for pk in hub.children if pk != child.pk]
    subtypes = Counter(Marker.objects.filter(
        child_id__in=others, kind=Marker.Kind.EXPLOITATION, active_from__lte=on)
        .exclude(active_until__lt=on).values_list("subtype", flat=True))
    known = [subtype for subtype in subtypes if subtype in INDICATOR_OF_SUBTYPE]
    return [INDICATOR_OF_SUBTYPE[known[0]]] if len(known) == 1 else []


def _how(hub: ChildHub) -> str:
    return "; ".join(f"{joined.kind.lower()} on {joined.on:%-d %b %Y}"
                     + (f" ({joined.grading})" if joined.grading else "")
                     for joined in hub.links[:3])


def hub_check(*, actor, now: dt.datetime, child, key: NodeKey, entity=None,
              link=None) -> HubAlert | None:
    """After a link or a found place: alert when `key` is now a hub this child is part of and
    the child was not alerted for it before."""
    rule = HubRule.of(policy_for_force(child.force))
    hubs = hubs_of_child(child=child, on=now.date(), rule=rule, only=key)
    if not hubs:
        return None
    hub = hubs[0]
    # Serialise alerts for one child: two links made at once alert once.
    Child.objects.select_for_update().filter(pk=child.pk).exists()
    if hub_alerted(child=child, hub_key=hub.key_text):
        return None
    episode = _case_episode(child)
    officer = officer_in_case(episode) if episode is not None else None
    people = [*_coordinators(child.force_id), *([officer] if officer else [])]
    others = list(Child.objects.filter(pk__in=hub.children).exclude(pk=child.pk)
                  .order_by("family_name", "given_name"))
    reference = f"{episode.reference}: " if episode is not None else ""
    subject = (f"{reference}{child.full_name} linked to an exploitation hub: {hub.label}, "
               f"{hub.size} children")
    proposal = None
    if episode is not None:
        proposal = marker_propose_for_hub(actor=actor, now=now, episode=episode,
                                          indicators=_indicators(hub=hub, child=child,
                                                                 on=now.date()))
    body = (f"{child.full_name}" + (f" ({episode.reference})" if episode else "")
            + f" is now linked to {hub.label}, which is linked to {hub.size} different children "
            f"in the last {rule.window_days} days: an exploitation hub.\n"
            f"How {child.given_name} is linked: {_how(hub)}.\n"
            "The other children: " + ", ".join(other.full_name for other in others) + ".\n\n"
            + ("An exploitation marker is proposed for a supervisor or the coordinator to "
               "confirm or reject. " if proposal else "")
            + "The next risk assessment shows the hub as information to weigh.")
    told = _notify(episode=episode, now=now, kind=HUB_NOTIFICATION, subject=subject, body=body,
                   people=people) if people else []
    hub_alert_record(actor=actor, now=now, child=child, hub_key=hub.key_text, label=hub.label,
                     children=hub.size, told=told, proposal=proposal, entity=entity, link=link)
    return HubAlert(hub=hub, episode=episode, told=tuple(told), proposal=proposal)


def _after_link(*, actor, now: dt.datetime, link: Link) -> Linked:
    entity = link.entity
    key = node_key_of_link(entity.kind, entity.pk, entity.place_id)
    return Linked(link=link, alert=hub_check(actor=actor, now=now, child=link.child, key=key,
                                             entity=entity, link=link))


@transaction.atomic
def link_record(*, actor, now: dt.datetime, child, entity: Entity, kind: str,
                occurred_on: dt.date, source: str, source_evaluation: str,
                information_assessment: str, handling_code: str = HandlingCode.P,
                episode=None, note: str = "") -> Linked:
    """Link a child to an entity (`intelligence.services.link_create`), then the hub check."""
    link = link_create(actor=actor, now=now, child=child, entity=entity, kind=kind,
                       occurred_on=occurred_on, source=source,
                       source_evaluation=source_evaluation,
                       information_assessment=information_assessment,
                       handling_code=handling_code, episode=episode, note=note)
    return _after_link(actor=actor, now=now, link=link)


@transaction.atomic
def suggestion_confirm_workflow(*, actor, now: dt.datetime, suggestion: Suggestion, kind: str,
                                occurred_on: dt.date, source_evaluation: str,
                                information_assessment: str,
                                handling_code: str = HandlingCode.P, note: str = "") -> Linked:
    """Confirm a suggestion read from free text (the link is made), then the hub check."""
    link = suggestion_confirm(actor=actor, now=now, suggestion=suggestion, kind=kind,
                              occurred_on=occurred_on, source_evaluation=source_evaluation,
                              information_assessment=information_assessment,
                              handling_code=handling_code, note=note)
    return _after_link(actor=actor, now=now, link=link)


@transaction.atomic
def entity_merge_workflow(*, actor, now: dt.datetime, keep: Entity, duplicate: Entity,
                          reason: str) -> tuple[EntityMerge, list[HubAlert]]:
    """Merge a duplicate (its links move to the record kept), then the hub check for each child
    whose links moved: two records of one phone may together make a hub."""
    merge = entity_merge(actor=actor, now=now, keep=keep, duplicate=duplicate, reason=reason)
    key = node_key_of_link(merge.kept.kind, merge.kept.pk, merge.kept.place_id)
    alerts = []
    moved = (Link.objects.filter(pk__in=merge.moved_links).select_related("child")
             .order_by("child_id", "-occurred_on"))
    for child in {link.child_id: link.child for link in moved}.values():
        alert = hub_check(actor=actor, now=now, child=child, key=key, entity=merge.kept)
        if alert is not None:
            alerts.append(alert)
    return merge, alerts


def after_found_place(*, actor, now: dt.datetime, episode, record) -> HubAlert | None:
    """Called by the return workflow after the found record: found at an address linked to
    other missing children joins the child to that place's hub."""
    if record.found_place_id is None:
        return None
    return hub_check(actor=actor, now=now, child=episode.child,
                     key=("place", record.found_place_id))

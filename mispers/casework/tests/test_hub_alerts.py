"""The hub alert (issue 14, ADR 51): a link or a found place that joins a child to an exploitation
hub tells the coordinator and the officer in the case at once, proposes an exploitation marker
once, writes the child's intelligence timeline, and the next assessment sees the hub."""

import datetime as dt

import pytest

from mispers.casework.children import child_create
from mispers.casework.found import return_record
from mispers.casework.intelligence import (
    HUB_NOTIFICATION,
    entity_merge_workflow,
    link_record,
    suggestion_confirm_workflow,
)
from mispers.casework.interviews import return_interview_workflow
from mispers.episodes.models import TimelineEvent
from mispers.intelligence.models import IntelligenceEvent, Suggestion
from mispers.intelligence.services import entity_create
from mispers.partners.tests.together import graded_episode, world
from mispers.people.services import marker_add
from mispers.places.details import PlaceDetails
from mispers.places.services import place_create
from mispers.returns.models import MarkerProposal
from mispers.returns.services import marker_proposal_decide
from mispers.reviews.models import Deadline, Notification
from mispers.risk.selectors import assessment_context_for


@pytest.fixture
def ring(force, now, child_details, make_user):
    """Three children of the force, each with an episode owned by their own officer; an
    associate "Jaydee" seen with the first two (not a hub yet: the national rule is 3)."""
    w = world(force=force, now=now, child_details=child_details)
    officers, children, episodes = [], [], []
    for n, name in enumerate(["Amy", "Bea", "Cara"]):
        officer = make_user(force=force, roles=["officer"], rank="officer", username=f"pc{n}")
        child = child_create(actor=officer, now=now, force=force,
                             details=child_details(given_name=name, family_name="Ringtest"))
        episodes.append(graded_episode(actor=officer, now=now, child=child, grader=officer))
        officers.append(officer)
        children.append(child)
    jay = entity_create(actor=officers[0], now=now, kind="person", name="Jaydee",
                        role="suspected_exploiter")
    for officer, child in zip(officers[:2], children[:2], strict=True):
        assert seen_with(officer, now, child, jay).alert is None
    return w, officers, children, episodes, jay


def seen_with(officer, now, child, entity, days_ago=1):
    return link_record(actor=officer, now=now, child=child, entity=entity, kind="seen_with",
                       occurred_on=now.date() - dt.timedelta(days=days_ago),
                       source="enquiry_log", source_evaluation="B", information_assessment="3")


def hub_notices():
    return Notification.objects.filter(kind=HUB_NOTIFICATION)


def test_the_third_child_seen_with_an_associate_tells_the_coordinator_and_officer_once(
        ring, now):
    w, officers, children, episodes, jay = ring
    assert not hub_notices().exists()
    cara, episode = children[2], episodes[2]
    before = assessment_context_for(episode=episode, now=now)
    assert before.linked_to_exploitation_hub is False

    linked = seen_with(officers[2], now, cara, jay)

    alert = linked.alert
    assert alert is not None and alert.hub.label == "Jaydee" and alert.hub.size == 3
    told = {n.recipient for n in hub_notices()}
    assert told == {w.coordinator, officers[2]}
    notice = hub_notices().get(recipient=w.coordinator)
    assert notice.episode == episode
    assert "linked to an exploitation hub: Jaydee, 3 children" in notice.subject
    assert "Amy Ringtest" in notice.body and "Bea Ringtest" in notice.body
    assert "seen with" in notice.body and "(B3P)" in notice.body
    proposal = MarkerProposal.objects.get(child=cara)
    assert proposal.status == "proposed" and proposal.source == "exploitation_hub"
    assert proposal.episode == episode
    assert Deadline.objects.filter(episode=episode, kind=Deadline.Kind.MARKER_DECISION,
                                   status=Deadline.Status.PENDING).exists()
    # The episode's timeline says a marker was proposed without naming the hub.
    proposed = TimelineEvent.objects.get(episode=episode,
                                         code=TimelineEvent.Code.MARKER_PROPOSED)
    assert "Jaydee" not in proposed.summary
    event = IntelligenceEvent.objects.get(child=cara, code=IntelligenceEvent.Code.HUB_ALERT)
    assert "Jaydee, 3 children" in event.summary and event.link == linked.link
    # The next assessment sees the hub; so do the first two children's.
    assert assessment_context_for(episode=episode, now=now).linked_to_exploitation_hub
    assert assessment_context_for(episode=episodes[0], now=now).linked_to_exploitation_hub


def test_a_second_link_of_the_same_child_to_the_hub_does_not_alert_again(ring, now):
    w, officers, children, episodes, jay = ring
    assert seen_with(officers[2], now, children[2], jay).alert is not None
    again = seen_with(officers[2], now, children[2], jay, days_ago=0)
    assert again.alert is None
    assert hub_notices().count() == 2  # the coordinator and the officer, once
    assert MarkerProposal.objects.filter(child=children[2]).count() == 1
    assert IntelligenceEvent.objects.filter(code=IntelligenceEvent.Code.HUB_ALERT).count() == 1


def test_no_marker_is_proposed_when_the_child_has_an_active_exploitation_marker(ring, now):
    w, officers, children, episodes, jay = ring
    marker_add(actor=w.coordinator, now=now, child=children[2], kind="exploitation",
               subtype="sexual", source="police", active_from=now.date())
    alert = seen_with(officers[2], now, children[2], jay).alert
    assert alert is not None and alert.proposal is None
    assert not MarkerProposal.objects.filter(child=children[2]).exists()
    assert hub_notices().count() == 2


def test_the_marker_proposed_points_to_the_kind_the_other_childrens_markers_share(ring, now):
    w, officers, children, episodes, jay = ring
    for child in children[:2]:
        marker_add(actor=w.coordinator, now=now, child=child, kind="exploitation",
                   subtype="criminal", source="police", active_from=now.date())
    proposal = seen_with(officers[2], now, children[2], jay).alert.proposal
    assert proposal.indicators == ["criminal_exploitation"]
    decided = marker_proposal_decide(actor=w.coordinator, now=now, proposal=proposal,
                                     confirm=True)
    assert decided.marker.subtype == "criminal" and decided.marker.source == "police"
    assert "exploitation hub" in decided.marker.note


def test_a_link_outside_the_window_makes_no_hub(ring, now):
    w, officers, children, episodes, jay = ring
    assert seen_with(officers[2], now, children[2], jay, days_ago=400).alert is None
    assert not hub_notices().exists()


def test_a_found_place_linked_to_other_missing_children_alerts(force, now, child_details,
                                                               make_user):
    w = world(force=force, now=now, child_details=child_details)
    officer = make_user(force=force, roles=["officer"], rank="officer", username="pc-flat")
    place = place_create(actor=officer, now=now, details=PlaceDetails(
        kind="associate_address", name="Flat 3, Tamar House", postcode="PL1 2AA"))
    alerts = []
    for name in ("Dee", "Ella", "Fay"):
        child = child_create(actor=officer, now=now, force=force,
                             details=child_details(given_name=name, family_name="Flattest"))
        episode = graded_episode(actor=officer, now=now - dt.timedelta(hours=3), child=child,
                                 grader=officer)
        return_record(actor=officer, now=now, episode=episode,
                      found_at=now - dt.timedelta(hours=1), found_where="the flat",
                      found_by="police", condition="safe_and_well", found_place=place)
        alerts.append(IntelligenceEvent.objects.filter(
            child=child, code=IntelligenceEvent.Code.HUB_ALERT).exists())
    assert alerts == [False, False, True]
    fay_notice = hub_notices().get(recipient=w.coordinator)
    assert "Fay Flattest linked to an exploitation hub: Flat 3, Tamar House" in \
        fay_notice.subject
    assert "found there" in fay_notice.body.lower()
    assert MarkerProposal.objects.filter(child__given_name="Fay").count() == 1


def test_merging_two_records_of_one_phone_can_make_a_hub(ring, now):
    w, officers, children, episodes, jay = ring
    phone_a = entity_create(actor=officers[0], now=now, kind="phone", phone="07700 900481")
    phone_b = entity_create(actor=officers[2], now=now, kind="phone", phone="07700900481")
    for officer, child in zip(officers[:2], children[:2], strict=True):
        link_record(actor=officer, now=now, child=child, entity=phone_a, kind="in_contact_with",
                    occurred_on=now.date(), source="intelligence", source_evaluation="A",
                    information_assessment="2")
    assert link_record(actor=officers[2], now=now, child=children[2], entity=phone_b,
                       kind="in_contact_with", occurred_on=now.date(), source="intelligence",
                       source_evaluation="A", information_assessment="2").alert is None
    _, alerts = entity_merge_workflow(actor=w.coordinator, now=now, keep=phone_a,
                                      duplicate=phone_b, reason="The same number typed twice")
    assert [alert.hub.size for alert in alerts] == [3]
    assert {n.recipient for n in hub_notices()} == {w.coordinator, officers[2]}


def test_merging_two_records_of_one_flat_merges_its_intelligence_and_can_make_a_hub(
        ring, now):
    """Amy and Bea were seen at "Flat 7" (an intelligence place), Cara was found at "7 Quay
    Court" (another record of the same flat): two children each, no hub. Merging the places
    merges their place entities, and the flat is a hub of three."""
    from mispers.casework.places import place_merge
    from mispers.intelligence.hubs import HubRule, hub_children_of
    from mispers.intelligence.models import Entity

    w, officers, children, episodes, jay = ring
    flat = place_create(actor=w.coordinator, now=now, details=PlaceDetails(
        kind="associate_address", name="Flat 7", postcode="PL1 2AA"))
    typed_again = place_create(actor=w.coordinator, now=now, details=PlaceDetails(
        kind="associate_address", name="7 Quay Court", postcode="PL1 2AA"))
    flat_entity = entity_create(actor=officers[0], now=now, kind="place", place=flat)
    again_entity = entity_create(actor=officers[0], now=now, kind="place", place=typed_again)
    for officer, child in zip(officers[:2], children[:2], strict=True):
        assert link_record(actor=officer, now=now, child=child, entity=flat_entity,
                           kind="found_at", occurred_on=now.date(), source="enquiry_log",
                           source_evaluation="B", information_assessment="2").alert is None
    return_record(actor=officers[2], now=now, episode=episodes[2],
                  found_at=now - dt.timedelta(hours=1), found_where="7 Quay Court",
                  found_by="police", condition="safe_and_well", found_place=typed_again)
    link_record(actor=officers[2], now=now, child=children[2], entity=again_entity,
                kind="found_at", occurred_on=now.date(), source="enquiry_log",
                source_evaluation="B", information_assessment="2")
    assert not hub_notices().exists()

    moved = place_merge(actor=w.coordinator, now=now, keep=flat, duplicate=typed_again,
                        reason="The same flat")

    assert moved["found"] == 1 and moved["intelligence"] == 1
    again_entity.refresh_from_db()
    assert again_entity.merged_into == flat_entity and flat_entity.links.count() == 3
    hub = hub_children_of(force_id=flat.force_id, key=("place", flat.pk), on=now.date(),
                          rule=HubRule(children=3, window_days=365))
    assert hub == {child.pk for child in children}
    # Each child is told once: the link moved by the entity merge, and the others.
    alerted = set(IntelligenceEvent.objects.filter(code=IntelligenceEvent.Code.HUB_ALERT)
                  .values_list("child_id", flat=True))
    assert alerted == {child.pk for child in children}
    assert hub_notices().filter(recipient=w.coordinator).count() == 3
    assert Entity.objects.filter(place=typed_again, merged_into__isnull=True).count() == 0


def test_a_merged_place_whose_record_kept_has_no_entity_moves_its_entity(ring, now):
    from mispers.casework.places import place_merge

    w, officers, children, episodes, jay = ring
    flat = place_create(actor=w.coordinator, now=now, details=PlaceDetails(
        kind="associate_address", name="Flat 8", postcode="PL1 2AB"))
    typed_again = place_create(actor=w.coordinator, now=now, details=PlaceDetails(
        kind="associate_address", name="8 Quay Court", postcode="PL1 2AB"))
    entity = entity_create(actor=officers[0], now=now, kind="place", place=typed_again)
    link_record(actor=officers[0], now=now, child=children[0], entity=entity, kind="found_at",
                occurred_on=now.date(), source="enquiry_log", source_evaluation="B",
                information_assessment="2")

    place_merge(actor=w.coordinator, now=now, keep=flat, duplicate=typed_again,
                reason="The same flat")

    entity.refresh_from_db()
    assert entity.place == flat and entity.key == str(flat.pk) and entity.merged_into is None
    assert entity.label == str(flat)
    # Asking for the kept place's entity finds it, not a second record.
    assert entity_create(actor=officers[0], now=now, kind="place", place=flat) == entity
    assert IntelligenceEvent.objects.filter(entity=entity,
                                            code=IntelligenceEvent.Code.MERGED).exists()


def test_confirming_a_suggestion_from_a_return_home_interview_alerts(ring, now):
    w, officers, children, episodes, jay = ring
    episode = episodes[2]
    return_record(actor=officers[2], now=now, episode=episode,
                  found_at=now - dt.timedelta(minutes=30), found_where="town centre",
                  found_by="police", condition="safe_and_well")
    interview = episode.return_home_interview
    return_interview_workflow(actor=w.coordinator, now=now, interview=interview,
                              offered_at=now, response="accepted", completed_at=now,
                              interviewer_name="A Worker",
                              with_whom="She was with Jaydee again at the flat")
    suggestion = Suggestion.objects.get(child=children[2], state="open")
    linked = suggestion_confirm_workflow(actor=w.coordinator, now=now, suggestion=suggestion,
                                         kind="named_at_interview", occurred_on=now.date(),
                                         source_evaluation="B", information_assessment="2")
    assert linked.alert is not None and linked.alert.hub.label == "Jaydee"
    assert {n.recipient for n in hub_notices()} == {w.coordinator, officers[2]}


def test_the_grading_page_shows_the_hub_to_police_as_information_to_weigh(ring, now, client):
    from django.urls import reverse

    from mispers.core.testing import page_text

    w, officers, children, episodes, jay = ring
    url = reverse("risk:assess", args=[episodes[2].pk])
    client.force_login(officers[2])
    assert "Linked to an exploitation hub" not in page_text(client.get(url))
    seen_with(officers[2], now, children[2], jay)
    text = page_text(client.get(url))
    assert "Linked to an exploitation hub" in text and "Jaydee" in text
    assert "<strong>B3P</strong>" in text and "never shown to partners" in text


def test_the_interview_page_lists_what_was_read_from_it_and_confirming_shows_the_hub(
        ring, now, client):
    from django.urls import reverse

    from mispers.accounts.models import AccessLog
    from mispers.core.testing import page_text

    w, officers, children, episodes, jay = ring
    episode = episodes[2]
    return_record(actor=officers[2], now=now, episode=episode,
                  found_at=now - dt.timedelta(minutes=30), found_where="town centre",
                  found_by="police", condition="safe_and_well")
    interview = episode.return_home_interview
    page = reverse("returns:rhi", args=[interview.pk])
    client.force_login(w.coordinator)
    assert "read from this interview" in page_text(client.get(page))  # (0): nothing read yet
    return_interview_workflow(actor=w.coordinator, now=now, interview=interview,
                              offered_at=now, response="accepted", completed_at=now,
                              interviewer_name="A Worker", with_whom="With Jaydee at the flat")
    suggestion = Suggestion.objects.get(child=children[2], state="open")
    text = page_text(client.get(page))
    assert "Names, numbers and plates read from this interview (1)" in text and "Jaydee" in text
    assert AccessLog.objects.filter(user=w.coordinator, object_type="suggestion",
                                    object_id=suggestion.pk).exists()

    confirmed = client.post(
        reverse("intelligence:suggestion", args=[suggestion.pk]) + f"?next={page}",
        {"kind": "named_at_interview", "occurred_on_day": now.day,
         "occurred_on_month": now.month, "occurred_on_year": now.year,
         "source_evaluation": "B", "information_assessment": "2", "handling_code": "P",
         "note": "", "next": page}, follow=True)
    text = page_text(confirmed)
    assert confirmed.redirect_chain[-1][0] == page
    assert "Linked to an exploitation hub: Jaydee, linked to 3 children" in text
    assert "Names, numbers and plates read from this interview (0)" in text
    # The episode's page: the notification is for attention, not an overdue escalation.
    text = page_text(client.get(reverse("episodes:detail", args=[episode.pk])))
    assert "For your attention" in text and "Escalated to you" not in text
    assert "linked to an exploitation hub: Jaydee, 3 children" in text

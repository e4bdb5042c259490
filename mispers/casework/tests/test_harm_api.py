"""The API records interviews through the same workflows: a disclosure sent by a provider's
system or by police reaches the officer in the case (issue 10, ADR 26)."""

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from mispers.casework.found import return_record
from mispers.episodes.models import Action
from mispers.partners.services.interviews import interview_of_episode
from mispers.partners.tests.together import graded_episode, world
from mispers.reviews.models import Notification

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)


@pytest.fixture
def returned(force, now, child_details, officer, sergeant):
    w = world(force=force, now=now, child_details=child_details)
    episode = graded_episode(actor=officer, now=now - 3 * H, child=w.child, grader=officer)
    return_record(actor=officer, now=now - 2 * H, episode=episode, found_at=now - 2 * H,
                  found_where="Bus station", found_by="police", condition="safe_and_well")
    return w, episode


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def told(episode):
    return set(Notification.objects.filter(episode=episode, kind="disclosure")
               .values_list("recipient__username", flat=True))


def test_a_providers_disclosure_through_the_partner_api_tells_police(returned, now):
    w, episode = returned
    interview = interview_of_episode(episode=episode)
    with time_machine.travel(now, tick=False):
        response = signed_in(w.users.rhi_worker).patch(
            f"/api/v1/partner/return-interviews/{interview.pk}/",
            {"offered_at": (now - H).isoformat(), "response": "accepted",
             "harm": "Says she was assaulted at the flat"}, format="json")
    assert response.status_code == 200, response.content
    assert told(episode) == {"officer", "sergeant"}
    assert Action.objects.filter(episode=episode, source="harm").count() == 4


def test_a_disclosure_at_the_prevention_interview_through_the_api_tells_police(returned, now,
                                                                                officer):
    _, episode = returned
    with time_machine.travel(now, tick=False):
        response = signed_in(officer).post(
            f"/api/v1/episodes/{episode.pk}/prevention-interview/",
            {"held_at": (now - H).isoformat(), "where_child_was": "A flat",
             "why_left": "Argument", "child_account": "They gave me a phone.",
             "indicators": ["gifts_or_money"]}, format="json")
    assert response.status_code == 201, response.content
    assert told(episode) == {"officer", "sergeant"}

"""POST /api/v1/episodes/{id}/allocate: a supervisor allocates the officer in the case."""

import pytest
import time_machine
from rest_framework.test import APIClient

from mispers.reviews.models import Deadline
from mispers.reviews.tests.test_review_services import grade

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_login(user)
    return client


def allocate(user, episode, officer, now):
    with time_machine.travel(now, tick=False):
        return client_for(user).post(f"/api/v1/episodes/{episode.pk}/allocate",
                                     {"officer": str(officer.pk), "note": "Yours"},
                                     format="json")


def test_a_sergeant_allocates_through_the_api(episode, call_handler, sergeant, officer, now):
    grade(episode, call_handler, now, chosen="high")
    response = allocate(sergeant, episode, officer, now)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["owner"]["id"] == str(officer.pk) and body["allocated_at"]
    assert Deadline.objects.get(episode=episode, kind="allocation").status == "met"


def test_an_officer_or_another_forces_user_cannot(episode, call_handler, officer, outsider,
                                                  now):
    grade(episode, call_handler, now, chosen="high")
    assert allocate(officer, episode, officer, now).status_code == 403
    assert allocate(outsider, episode, officer, now).status_code == 404
    episode.refresh_from_db()
    assert episode.owner == call_handler and episode.allocated_at is None


def test_an_officer_of_another_force_cannot_be_allocated(episode, call_handler, sergeant,
                                                         outsider, now):
    grade(episode, call_handler, now, chosen="high")
    response = allocate(sergeant, episode, outsider, now)
    assert response.status_code == 400 and "officer" in response.json()["field_errors"]

"""Issue 10 pages: the control room's unallocated list and allocating the officer in the case,
choosing a team first (no JavaScript)."""

import pytest
import time_machine
from django.urls import reverse

from mispers.accounts.models import Team
from mispers.core.testing import page_text
from mispers.reviews.models import Deadline
from mispers.reviews.tests.test_review_services import grade

pytestmark = pytest.mark.django_db


def test_supervisor_sees_the_unallocated_case_and_allocates_an_officer_from_a_team(
        client, episode, call_handler, sergeant, officer, make_user, force, now):
    grade(episode, call_handler, now, chosen="high")
    response_a = Team.objects.create(force=force, name="Response A")
    mpu = Team.objects.create(force=force, name="Missing persons unit")
    other = make_user(force=force, roles=["officer"], rank="officer", username="mpu-officer")
    type(officer).objects.filter(pk=officer.pk).update(team=response_a)
    type(officer).objects.filter(pk=other.pk).update(team=mpu)
    client.force_login(sergeant)
    with time_machine.travel(now, tick=False):
        listing = client.get(reverse("reviews:unallocated")).content.decode()
        assert episode.reference in listing and "High" in listing
        form = client.get(reverse("reviews:allocate", args=[episode.pk]),
                          {"team": str(mpu.pk)}).content.decode()
        assert "Test Mpu-Officer" in form and "Test Officer" not in form
        url = reverse("reviews:allocate", args=[episode.pk]) + f"?team={mpu.pk}"
        done = client.post(url, {"officer": str(other.pk), "note": "MPU lead"})
    assert done.status_code == 302
    episode.refresh_from_db()
    assert episode.owner == other and episode.team == mpu
    assert Deadline.objects.get(episode=episode, kind="allocation").status == "met"
    with time_machine.travel(now, tick=False):
        assert episode.reference not in page_text(client.get(reverse("reviews:unallocated")))


def test_a_call_handler_sees_the_list_but_cannot_allocate(client, episode, call_handler,
                                                         officer, now):
    grade(episode, call_handler, now, chosen="high")
    client.force_login(call_handler)
    assert episode.reference in client.get(reverse("reviews:unallocated")).content.decode()
    refused = client.post(reverse("reviews:allocate", args=[episode.pk]),
                          {"officer": str(officer.pk)})
    assert refused.status_code == 403
    episode.refresh_from_db()
    assert episode.owner == call_handler


def test_the_handover_list_shows_the_users_own_team_first_and_another_on_request(
        client, episode, call_handler, officer, make_user, force, now):
    grade(episode, call_handler, now, chosen="medium")
    room = Team.objects.create(force=force, name="Control room", is_control_room=True)
    response_a = Team.objects.create(force=force, name="Response A")
    colleague = make_user(force=force, roles=["call_handler"], rank="call_handler",
                          username="colleague")
    type(officer).objects.filter(pk__in=[call_handler.pk, colleague.pk]).update(team=room)
    type(officer).objects.filter(pk=officer.pk).update(team=response_a)
    client.force_login(call_handler)
    url = reverse("reviews:handover", args=[episode.pk])
    own = client.get(url).content.decode()
    assert "Test Colleague" in own and "Test Officer" not in own
    other = client.get(url, {"team": str(response_a.pk)}).content.decode()
    assert "Test Officer" in other and "Test Colleague" not in other
    everyone = client.get(url, {"team": ""}).content.decode()
    assert "Test Officer" in everyone and "Test Colleague" in everyone
    posted = client.post(url + f"?team={response_a.pk}", {"to_user": str(officer.pk)})
    assert posted.status_code == 302
    assert episode.handovers.get().to_user == officer


def test_the_episode_pages_quick_handover_lists_the_users_own_team(
        client, episode, call_handler, officer, make_user, force, now):
    grade(episode, call_handler, now, chosen="medium")
    room = Team.objects.create(force=force, name="Control room", is_control_room=True)
    response_a = Team.objects.create(force=force, name="Response A")
    colleague = make_user(force=force, roles=["call_handler"], rank="call_handler",
                          username="colleague")
    type(officer).objects.filter(pk__in=[call_handler.pk, colleague.pk]).update(team=room)
    type(officer).objects.filter(pk=officer.pk).update(team=response_a)
    client.force_login(call_handler)
    page = client.get(reverse("episodes:detail", args=[episode.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    handover_url = reverse("reviews:handover", args=[episode.pk])
    start = html.index(f'action="{handover_url}"')
    quick_form = html[start:html.index("</form>", start)]
    assert "Test Colleague" in quick_form and "Test Officer" not in quick_form
    assert "The list holds your team, Control room" in html
    assert "Someone in another team" in html

"""The officer records a disclosure on the prevention interview page: the officer in the case
and the sergeant are told, and the child's page shows it in "Harm and disclosures" (issue 10)."""

import datetime as dt
import html

import pytest
import time_machine
from django.urls import reverse

from mispers.casework.found import return_record
from mispers.casework.harm import HARM_TASKS
from mispers.partners.tests.together import graded_episode, world
from mispers.reviews.models import Notification

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)


def test_a_disclosure_on_the_interview_page_reaches_the_officer_and_the_childs_page(
        client, force, now, child_details, officer, sergeant):
    w = world(force=force, now=now, child_details=child_details)
    episode = graded_episode(actor=officer, now=now - 2 * H, child=w.child, grader=officer)
    return_record(actor=officer, now=now - H, episode=episode, found_at=now - H,
                  found_where="Bus station", found_by="police", condition="safe_and_well")
    client.force_login(officer)
    with time_machine.travel(now, tick=False):
        response = client.post(reverse("returns:prevention_interview", args=[episode.pk]), {
            "held_at": (now - H / 2).strftime("%Y-%m-%dT%H:%M"),
            "where_child_was": "A flat", "why_left": "Argument",
            "child_account": "A man touched me.",
            "harm_disclosed": "Possible sexual assault by an adult male"})
        assert response.status_code == 302
        told = set(Notification.objects.filter(episode=episode, kind="disclosure")
                   .values_list("recipient__username", flat=True))
        assert told == {"officer", "sergeant"}
        page = html.unescape(client.get(reverse("people:detail", args=[w.child.pk]))
                             .content.decode())
        # The officer's own work list asks them to acknowledge it.
        mine = html.unescape(client.get(reverse("reviews:mine")).content.decode())
    assert f"{episode.reference}: disclosure at the prevention interview" in mine
    panel = page.split('id="harm-and-disclosures"')[1]
    assert "Disclosure at the prevention interview" in panel
    for title in HARM_TASKS.values():
        assert title in panel
    # The disclosure's words are in the officer's notification, not spread across the page.
    assert "Possible sexual assault" not in panel


def test_a_child_with_no_harm_says_so(client, episode, sergeant):
    client.force_login(sergeant)
    page = client.get(reverse("people:detail", args=[episode.child_id])).content.decode()
    assert "No harm, disclosure or death recorded for this child." in page

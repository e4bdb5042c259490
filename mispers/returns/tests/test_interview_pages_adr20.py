"""The return-home interview pages under ADR 20: a save from a page opened before someone else's
save is refused with "reload"; a completed, shared interview shows its findings with no form to
change them, and an addendum form; police see no findings fields while a provider records them."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from mispers.partners.models import SharingRecord
from mispers.partners.services.interviews import interview_of_episode, partner_interview_record
from mispers.partners.tests.together import found, graded_episode, world
from mispers.returns.models import InterviewAddendum, ReturnHomeInterview
from mispers.returns.services import return_interview_update

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def current():
    """The pages read the real clock: the records are set up just before it."""
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def w(force, current, child_details):
    return world(force=force, now=current - 10 * H, child_details=child_details)


@pytest.fixture
def interview(w, officer, current):
    episode = graded_episode(actor=officer, now=current - 4 * H, child=w.child, grader=officer,
                             reported_at=current - 5 * H)
    found(actor=officer, now=current - 3 * H, episode=episode, found_at=current - 3 * H)
    return interview_of_episode(episode=episode)


@pytest.fixture
def police_only(interview):
    ReturnHomeInterview.objects.filter(pk=interview.pk).update(provider=None)
    return ReturnHomeInterview.objects.get(pk=interview.pk)


def local(when: dt.datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def test_a_save_from_a_page_opened_before_another_save_says_reload(client, w, police_only,
                                                                   current, make_user, force):
    page_url = reverse("returns:rhi", args=[police_only.pk])
    client.force_login(w.coordinator)
    assert 'name="expected_version" value="1"' in text(client.get(page_url))
    first = client.post(page_url, {"expected_version": "1",
                                   "offered_at": local(current - 2 * H),
                                   "where_went": "First save"})
    assert first.status_code == 302
    second = client.post(page_url, {"expected_version": "1", "where_went": "Second save"})
    assert second.status_code == 200
    assert "Someone else has changed this return-home interview" in text(second)
    assert "Reload the page" in text(second)
    assert ReturnHomeInterview.objects.get(pk=police_only.pk).where_went == "First save"


def test_a_shared_interview_has_no_form_for_its_findings_only_an_addendum(
        client, w, police_only, current):
    return_interview_update(actor=w.coordinator, now=current - H, interview=police_only,
                            offered_at=current - 2 * H, response="accepted",
                            completed_at=current - H, where_went="A flat", share=True,
                            child_words="I was scared.")
    page_url = reverse("returns:rhi", args=[police_only.pk])
    client.force_login(w.coordinator)
    page = text(client.get(page_url))
    assert "Save the interview" not in page and 'name="child_words"' not in page
    assert "I was scared." in page and "Add the addendum" in page
    # A crafted post of the old form changes nothing.
    client.post(page_url, {"child_words": "Rewritten", "completed_at": local(current)})
    assert ReturnHomeInterview.objects.get(pk=police_only.pk).child_words == "I was scared."
    refused = client.post(page_url, {"form": "addendum", "reason": "", "text": "More"})
    assert refused.status_code == 200 and "Say why the addendum is needed" in text(refused)
    done = client.post(page_url, {"form": "addendum", "reason": "She said more later",
                                  "text": "She named the flat's owner."})
    assert done.status_code == 302
    assert InterviewAddendum.objects.get().reason == "She said more later"
    child_page = text(client.get(reverse("people:detail", args=[police_only.episode.child_id])))
    assert "She named the flat's owner." in child_page and "She said more later" in child_page


def test_police_see_no_findings_fields_while_the_provider_records_them(client, w, interview):
    client.force_login(w.coordinator)
    page = text(client.get(reverse("returns:rhi", args=[interview.pk])))
    assert 'name="offered_at_day"' in page  # a GOV.UK date input (ADR 35)
    for name in ("child_words", "where_went", "completed_at_day", "share"):
        assert f'name="{name}"' not in page
    client.post(reverse("returns:rhi", args=[interview.pk]), {"child_words": "Police words"})
    assert ReturnHomeInterview.objects.get(pk=interview.pk).child_words == ""


def test_the_provider_corrects_shared_findings_with_an_addendum_on_its_page(client, w,
                                                                          interview, current):
    partner_interview_record(actor=w.users.rhi_worker, now=current - H, interview=interview,
                             offered_at=current - 2 * H, response="accepted",
                             completed_at=current - H, where_went="Union Street")
    page_url = reverse("partners:interview", args=[interview.episode_id])
    client.force_login(w.users.rhi_worker)
    page = text(client.get(page_url))
    assert "Save the interview" not in page and "Add the addendum" in page
    assert client.post(page_url, {"where_went": "Union Road"}).status_code == 404
    done = client.post(page_url, {"form": "addendum", "reason": "Street recorded wrongly",
                                  "text": "It was Union Road.",
                                  "expected_version": str(interview.version + 1)})
    assert done.status_code == 302, text(done)[:2000]
    row = ReturnHomeInterview.objects.get(pk=interview.pk)
    assert row.where_went == "Union Street"
    assert row.addenda.get().organisation == w.rhi
    assert SharingRecord.objects.filter(what__startswith="Addendum to the return-home").exists()
    assert "It was Union Road." in text(client.get(page_url))

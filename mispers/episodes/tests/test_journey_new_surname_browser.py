"""Browser journey in Chromium (issue 11): a call handler takes a report for a child who is
known to the force under another surname; the search shows the known child as a strong match,
with her photo and her markers, and the report is taken for her, not for a new child."""

import datetime as dt

import pytest
from django.utils import timezone

from mispers.core.testing import fill_date, fill_datetime
from mispers.episodes.models import Episode
from mispers.people.models import Child

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def now():
    return timezone.now()


def test_a_child_under_a_new_surname_is_recognised_with_photo_and_markers(page_for,
                                                                         call_handler, known):
    child, open_one, _profile = known
    Episode.objects.filter(pk=open_one.pk).update(state=Episode.State.CLOSED)
    page = page_for(call_handler)
    page.get_by_role("link", name="New report").first.click()
    page.get_by_label("Given name").fill("Harriet")
    page.get_by_label("Family name").fill("Lawrence")  # a step-parent's surname
    fill_date(page, "Date of birth", dt.date(2010, 4, 2))
    page.get_by_label("Address").fill("20 Church Rd, Exeter")
    page.get_by_role("button", name="Find the child").click()

    card = page.locator(".app-candidate").first
    card.wait_for()
    text = card.inner_text()
    assert "Harriet Rowe" in text and "Strong match" in text
    assert "a change of surname?" in text
    assert "Child criminal exploitation" in text and "20 Church Road, Exeter" in text
    assert "2 episodes" in text
    photo = card.get_by_role("img", name="Photo of Harriet Rowe")
    photo.wait_for()
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")  # really loaded

    card.get_by_role("link", name="This is the child — report for them").click()
    page.get_by_role("heading", name="Report Harriet Rowe missing").wait_for()
    reported = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    fill_datetime(page, "When was the report made?", reported)
    page.get_by_label("Name of the person reporting").fill("Step-parent")
    fill_datetime(page, "When was the child last seen?", reported - dt.timedelta(hours=2))
    page.get_by_label("Where were they last seen?").fill("Leaving home")
    page.get_by_role("radio", name="Home").check()
    page.get_by_role("button", name="Save report and assess the risk").click()
    page.get_by_role("heading", name="Assess the risk").wait_for()
    assert Child.objects.count() == 1
    assert Episode.objects.filter(child=child).count() == 3

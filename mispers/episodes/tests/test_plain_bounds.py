"""Issue 11: bounds answered in plain words, and nothing saved."""

import datetime as dt

import pytest
from django.urls import reverse

from mispers.casework.report import episode_report
from mispers.episodes.models import Episode
from mispers.episodes.services import EpisodeInvalid

pytestmark = pytest.mark.django_db


def test_last_seen_before_the_child_was_born_is_refused(call_handler, now, child_details,
                                                         report_details):
    born = now.date() - dt.timedelta(days=400)
    with pytest.raises(EpisodeInvalid, match="Last seen cannot be before the child was born"):
        episode_report(actor=call_handler, now=now,
                       new_child=child_details(date_of_birth=born),
                       details=report_details(last_seen_at=now - dt.timedelta(days=500)))
    assert not Episode.objects.exists()


@pytest.mark.parametrize("age, message", [
    ("45", "Estimated age must be 17 or under: Mispers is for children"),
    ("-1", "Estimated age must be 0 or more"),
    ("fourteen", "Estimated age must be a whole number of years, like 14"),
])
def test_an_estimated_age_out_of_range_gets_a_plain_message(client, call_handler, age,
                                                            message):
    client.force_login(call_handler)
    page = client.post(reverse("episodes:report"), {
        "new": "1", "child-given_name": "Jo", "child-family_name": "Bounds",
        "child-estimated_age": age}).content.decode()
    assert message in page
    assert "Ensure this value" not in page and "Enter a whole number" not in page

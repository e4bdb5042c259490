"""Issue 11: each intake candidate shows what a call handler recognises a child by: the photo
(from the Philomena profile), active markers, address, whether they are missing now, how many
episodes and the last one; in a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mispers.casework.children import child_create

pytestmark = pytest.mark.django_db


def test_each_candidate_shows_photo_markers_address_and_history(client, call_handler, known):
    child, open_one, profile = known
    client.force_login(call_handler)
    page = client.get(reverse("episodes:report"), {
        "given_name": "Harriet", "family_name": "Lawrence", "date_of_birth": "2010-04-02",
        "address": "20 Church Rd, Exeter"}).content.decode()
    assert "Strong match" in page  # a change of surname at the same address
    assert f'src="{reverse("partners:photo", args=[profile.pk])}"' in page
    assert "Photo of Harriet Rowe" in page
    assert "Child criminal exploitation" in page and "20 Church Road, Exeter" in page
    assert "2 episodes, the last reported" in page and "Missing now" in page
    assert open_one.reference in page
    assert client.get(reverse("partners:photo", args=[profile.pk])).status_code == 200


def test_the_facts_cost_a_fixed_number_of_queries(client, call_handler, known, force, now,
                                                   child_details):
    client.force_login(call_handler)
    query = {"given_name": "Harriet", "family_name": "Rowe", "date_of_birth": "2010-04-02"}
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("episodes:report"), query)
    for day in range(1, 5):
        child_create(actor=call_handler, now=now, force=force, details=child_details(
            given_name="Harriet", family_name="Rowe", date_of_birth=dt.date(2010, 4, 2 + day)))
    with CaptureQueriesContext(connection) as five:
        page = client.get(reverse("episodes:report"), query).content.decode()
    assert page.count("app-candidate\"") >= 5
    # Namesakes a date slip apart ask for the force's name counts (ADR 53): at most two
    # queries however many candidates, so five more namesakes cost nothing more.
    assert len(one) <= len(five) <= len(one) + 2
    for day in range(5, 10):
        child_create(actor=call_handler, now=now, force=force, details=child_details(
            given_name="Harriet", family_name="Rowe", date_of_birth=dt.date(2010, 4, 2 + day)))
    with CaptureQueriesContext(connection) as ten:
        page = client.get(reverse("episodes:report"), query).content.decode()
    assert page.count("app-candidate\"") >= 8
    assert len(ten) == len(five)


def test_the_report_form_carries_markers_and_history_and_the_risk_page_the_circumstances(
        client, call_handler, known):
    child, open_one, _profile = known
    client.force_login(call_handler)
    page = client.get(reverse("episodes:report"), {"child": str(child.pk)}).content.decode()
    assert "Child criminal exploitation" in page and "2 episodes, the last reported" in page
    assert open_one.reference in page and "Missing now" in page
    assess = client.get(reverse("risk:assess", args=[open_one.pk])).content.decode()
    assert "The report: circumstances while you answer" in assess
    assert open_one.last_seen_where in assess

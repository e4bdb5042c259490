"""Finding the child on the report page, and the confirmation a new child needs when the
force already knows a child very like them: plain form posts, no JavaScript."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from mispers.casework.children import child_create
from mispers.episodes.models import Episode
from mispers.people.models import Child

URL = reverse("episodes:report")


@pytest.fixture(autouse=True)
def frozen_clock(now):
    with time_machine.travel(now, tick=False):
        yield


@pytest.fixture
def known(force, call_handler, now, child_details):
    child_create(actor=call_handler, now=now, force=force, details=child_details(
        given_name="Katherine", family_name="Smith", date_of_birth=dt.date(2012, 9, 20)))
    return child_create(actor=call_handler, now=now, force=force, details=child_details(
        given_name="Katherine", family_name="Smith", date_of_birth=dt.date(2011, 5, 3)))


def report_fields(**more):
    return {"report-reported_at": "2026-03-14T10:00", "report-reported_by_name": "A Carer",
            "report-last_seen_at": "2026-03-14T07:30", "report-last_seen_where": "Home",
            "report-missing_from": "care", **more}


NEW_CHILD = {"new": "1", "child-given_name": "Kathryn", "child-family_name": "Smyth",
             "child-date_of_birth": "2011-05-03", "child-sex": "female",
             "child-ethnicity": "white_british", "child-observed_ethnicity": "white"}


def test_candidates_are_ranked_with_score_and_reasons(client, call_handler, known):
    client.force_login(call_handler)
    page = client.get(URL, {"given_name": "Kate", "family_name": "Smyth",
                            "date_of_birth": "2011-03-05"}).content.decode()
    assert "2 possible matches, best first" in page
    first = page.index("3 May 2011")
    assert first < page.index("20 Sep 2012")  # the true child first
    assert "Strong match" in page[:page.index("20 Sep 2012")]
    assert "Known by nickname (Kate / Katherine)" in page
    assert "Family name sounds the same (Smyth / Smith)" in page
    assert "Day and month of birth swapped (5 Mar 2011 / 3 May 2011)" in page
    assert f'href="{URL}?child={known.pk}"' in page
    assert "This is the child — report for them" in page
    # Nobody right: the new child's details are pre-filled from the search.
    assert "None of these is the child" in page
    assert "given_name=Kate&amp;family_name=Smyth&amp;date_of_birth=2011-03-05" in page


def test_new_child_form_is_prefilled_from_the_search(client, call_handler):
    client.force_login(call_handler)
    page = client.get(URL, {"new": "1", "given_name": "Kate", "family_name": "Smyth",
                            "age": "14", "address": "3 Mill Street, Truro"}).content.decode()
    assert 'value="Kate"' in page and 'value="Smyth"' in page and 'value="14"' in page
    assert "3 Mill Street, Truro" in page


def test_search_without_a_name_is_an_error(client, call_handler):
    client.force_login(call_handler)
    page = client.get(URL, {"given_name": "", "family_name": "",
                            "date_of_birth": "2011-05-03"}).content.decode()
    assert "govuk-error-summary" in page
    assert "Enter the child&#x27;s given name or family name" in page


def test_plain_name_search_still_works(client, call_handler, known):
    client.force_login(call_handler)
    page = client.get(URL, {"q": "Smith"}).content.decode()
    assert "2 matches" in page and f"?child={known.pk}" in page


def test_new_child_like_a_known_one_needs_the_box_ticked(client, call_handler, known):
    client.force_login(call_handler)
    refused = client.post(URL, {**NEW_CHILD, **report_fields()})
    page = refused.content.decode()
    assert refused.status_code == 200 and "govuk-error-summary" in page
    assert "This child may already be known" in page
    assert "I have checked: this is not the same child as Katherine Smith" in page
    assert f'name="child" value="{known.pk}"' in page  # report for the known child instead
    assert not Child.objects.filter(family_name="Smyth").exists()
    assert Episode.objects.count() == 0

    saved = client.post(URL, {**NEW_CHILD, **report_fields(),
                              "child-confirm_new_child": "on"})
    assert saved.status_code == 302
    assert Episode.objects.get().child.family_name == "Smyth"


def test_choosing_the_known_child_keeps_the_report_typed(client, call_handler, known):
    client.force_login(call_handler)
    response = client.post(URL, {"child": str(known.pk), **report_fields()})
    assert response.status_code == 302
    episode = Episode.objects.get()
    assert episode.child == known and episode.reported_by_name == "A Carer"
    assert Child.objects.count() == 2


def test_a_new_child_unlike_any_known_needs_no_confirmation(client, call_handler, known):
    client.force_login(call_handler)
    response = client.post(URL, {**NEW_CHILD, "child-given_name": "Morwenna",
                                 "child-family_name": "Trewin", **report_fields()})
    assert response.status_code == 302


def test_another_forces_children_are_not_offered(client, outsider, known):
    client.force_login(outsider)
    page = client.get(URL, {"given_name": "Katherine", "family_name": "Smith",
                            "date_of_birth": "2011-05-03"}).content.decode()
    assert "No child of this force matches" in page and str(known.pk) not in page

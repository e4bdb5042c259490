"""Least privilege (ADR 0018), driven from the URL resolver rather than a hand list: the analyst
and the force administrator open every page and endpoint of the project, and none of them shows
the child's name, date of birth, address or any free text planted in the record, and every
address about one case record refuses them (403, or 404 where the area does not exist for
police). A new page that forgets the rule fails here without anyone adding it to a list."""

import datetime as dt

import pytest

from mispers.accounts.roles import Rank
from mispers.accounts.services import user_create
from mispers.casework.report import episode_report
from mispers.episodes.services import ReportDetails
from mispers.partners.tests.test_access_matrix import address, routes
from mispers.people.models import Child

pytestmark = pytest.mark.django_db

PLANTED = ["Circumstance-lp-3141", "Clothing-lp-5926", "Whereabouts-lp-5358",
           "Reporter Lpname", "Lastseen-lp-9793"]
# Addresses about one identifiable record (a child, an episode and its parts).
CASE_KINDS = {"episode", "child", "assessment", "rhi", "responsibility"}


@pytest.fixture
def planted(records, now):
    users, kwargs = records
    child = Child.objects.get(pk=kwargs["child"]["pk"])
    at = now - dt.timedelta(minutes=20)
    episode_report(actor=users["officer"], now=at, child=child, details=ReportDetails(
        reported_at=at, reported_by_name=PLANTED[3], last_seen_at=at - dt.timedelta(hours=1),
        last_seen_where=PLANTED[4], missing_from="home", circumstances=PLANTED[0],
        clothing=PLANTED[1], possible_whereabouts=PLANTED[2]))
    secrets = [child.given_name, child.family_name, *PLANTED]
    if child.date_of_birth:
        secrets.append(child.date_of_birth.isoformat())
    if child.placement_address:
        secrets.append(child.placement_address)
    return users, kwargs, secrets


def kind_of(name: str) -> str | None:
    from mispers.partners.tests.test_access_matrix import ROUTES

    return ROUTES[name][0] if name in ROUTES else None


def _kwargs_for(name, kwargs):
    """The record ids for an address, from the matrix's classification (None when the matrix
    does not know the address yet)."""
    kind = kind_of(name)
    if kind == "nowhere":
        return {}
    if kind is not None:
        return kwargs[kind]
    return None


@pytest.mark.parametrize("role", ["analyst", "force_admin"])
def test_no_page_or_endpoint_shows_an_identifiable_record(planted, client, role, force):
    users, kwargs, secrets = planted
    client.force_login(users[role])
    client.raise_request_exception = False  # another area's broken page is not this test's
    leaks, let_in, checked = [], [], 0
    for route, name in routes():
        values = _kwargs_for(name, kwargs)
        if values is None:
            if "<" in route:
                continue  # unclassified with a record id: test_every_address_is_classified
            values = {}
        url = address(name, values)
        response = client.get(url)
        checked += 1
        body = response.content.decode(errors="replace")
        if response.status_code == 200:
            leaks += [f"{name} {url}: {secret!r}" for secret in secrets if secret in body]
        if kind_of(name) in CASE_KINDS and response.status_code not in (403, 404):
            let_in.append(f"{name} {url}: {response.status_code}")
    assert checked > 100
    assert leaks == [], f"{role} saw identifiable data:\n" + "\n".join(leaks)
    assert let_in == [], f"{role} was let into case records:\n" + "\n".join(let_in)


def test_an_operational_role_does_see_the_planted_record(planted, client):
    """The check above would pass vacuously if the planted text never reached a page."""
    users, kwargs, secrets = planted
    client.force_login(users["officer"])
    page = client.get(address("people:detail", kwargs["child"])).content.decode()
    assert secrets[0] in page and secrets[1] in page
    api = client.get(address("api:episodes", {})).content.decode()
    assert secrets[0] in api or secrets[1] in api


def test_a_user_with_both_roles_reads_cases_through_the_operational_one(force, records):
    users, kwargs = records
    from django.test import Client

    both = user_create(username="lp-both", password="correct-horse-battery", force=force,
                       roles=["analyst", "officer"], rank=Rank.OFFICER)
    client = Client()
    client.force_login(both)
    assert client.get(address("people:detail", kwargs["child"])).status_code == 200
    assert client.get("/analysis/").status_code == 200

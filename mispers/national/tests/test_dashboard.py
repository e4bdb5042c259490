"""The national dashboard (issue 13): forces compared on the same measures, each force's
events and cases counted from what it sent, on a funnel plot with its table and CSV."""

import csv
import io

import pytest

from mispers.national.dashboard import force_counts, funnel
from mispers.national.services import hub_import
from mispers.national.tables import Year

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(sent, now):
    for path in sent:
        hub_import(actor=None, now=now, path=path)


def test_each_force_is_counted_from_what_it_sent(loaded, force):
    counts = force_counts(year=Year.parse("2025-26"))
    for code in (force.pk, "kent"):
        # Three incidents, two graded (high, medium), Amira found and interviewed; her
        # return-home interview referred but not yet offered.
        assert counts[code]["incidents"] == 3 and counts[code]["graded"] == 2
        assert counts[code]["no_apparent_risk"] == 0 and counts[code]["repeat"] == 0
        assert (counts[code]["found"], counts[code]["prevention_held"]) == (1, 1)
        assert (counts[code]["referrals"], counts[code]["rhi_in_72h"]) == (1, 0)
    result = funnel(counts, "prevention_held")
    assert result.target == 1.0 and [u.name for u in result.units] == sorted([force.pk, "kent"])
    assert all(not u.flagged for u in result.units)     # too few to judge


def test_the_page_draws_the_funnel_and_downloads_its_table(client, make_user, loaded, force):
    client.force_login(make_user(force=None, roles=["national_unit"], username="nmpu"))
    page = client.get("/national/dashboard/", {"year": "2025-26", "measure": "repeat"})
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and f'data-force="{force.pk}"' in html
    assert "Too few to judge" in html
    rows = list(csv.DictReader(io.StringIO(client.get("/national/dashboard/", {
        "year": "2025-26", "measure": "repeat", "download": "csv"}).content.decode())))
    assert {r["force"]: (r["cases"], r["events"]) for r in rows} == {
        force.pk: ("3", "0"), "kent": ("3", "0")}
    assert client.get("/national/dashboard/", {"measure": "speed"}).status_code == 400
    assert client.get("/national/dashboard/", {"year": "2025"}).status_code == 400

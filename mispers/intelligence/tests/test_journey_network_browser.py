"""Browser journey in Chromium (issue 14, ADR 50): the coordinator opens the network from the
menu, narrows it to the ring's period, sees the hub in the table and the graph drawn by
cytoscape.js under the strict CSP, filters it by kind of link, and downloads the CSV and
GraphML exports, which hold the hub."""

import pytest
from playwright.sync_api import expect

from mispers.core.testing import fill_date
from mispers.intelligence.tests.network_scene import ring

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_the_coordinator_opens_filters_and_exports_the_network(page_for, force, other_force,
                                                                now, child_details,
                                                                make_user):
    scene = ring(force=force, other_force=other_force, now=now, child_details=child_details,
                 make_user=make_user)
    page = page_for(scene.coordinator)
    page.context.add_init_script(WATCH)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.get_by_role("link", name="Network", exact=True).first.click()
    expect(page.get_by_role("heading", name="The network", level=1)).to_be_visible()
    # The ring's period: the year to the day the scene was recorded.
    page.locator("summary", has_text="Filters").click()
    fill_date(page, "From (optional)", now.date().replace(month=1, day=1))
    fill_date(page, "To (optional)", now.date())
    # It opens on entities linked to the hub count of children (3): two to see the car too.
    page.get_by_label("Entities and places linked to at least this many children").fill("2")
    page.get_by_role("button", name="Apply filters").click()

    hubs = page.locator("#hubs-table")
    expect(hubs).to_contain_text("Jaydee")
    expect(hubs).to_contain_text("3")
    expect(page.locator("#entities-table")).to_contain_text("YK18 RNG")
    expect(page.locator("#entities-table")).to_contain_text("Abi Ringtest")
    # The graph: cytoscape drew the nodes on canvases inside the box and said how many.
    graph = page.locator("#network-graph")
    expect(graph.locator("canvas").first).to_be_attached()
    expect(page.locator("#network-status")).to_contain_text("Drawn:")
    drawn = int(graph.get_attribute("data-drawn-nodes"))
    assert drawn == int(page.locator("#network-data").evaluate(
        "element => JSON.parse(element.textContent).nodes.length")) and drawn >= 7
    assert "Otherforcechild" not in page.content()

    # Only "picked up by" (the filters stay open once applied): the car and the two girls it
    # picked up, and Cleo and Dana, missing together; Jaydee, the hub, is filtered out.
    expect(page.locator("#network-filters")).to_be_visible()
    page.get_by_label("Picked up by").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#network-summary")).to_contain_text("1 more hub hidden by the filters")
    expect(page.locator("#entities-table")).to_contain_text("YK18 RNG")
    expect(page.locator("#entities-table")).not_to_contain_text("Jaydee")
    expect(page.locator("#network-status")).to_contain_text("Drawn: 5 nodes")

    # Back to every kind, then the exports with the same filters.
    page.get_by_label("Picked up by").uncheck()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#hubs-table")).to_contain_text("Jaydee")
    with page.expect_download() as csv_download:
        page.locator("#export-csv").click()
    csv_text = open(csv_download.value.path(), encoding="utf-8").read()
    assert "Jaydee" in csv_text and "Abi Ringtest" in csv_text
    assert csv_download.value.suggested_filename.endswith(".csv")
    with page.expect_download() as graphml_download:
        page.locator("#export-graphml").click()
    graphml = open(graphml_download.value.path(), encoding="utf-8").read()
    assert "<graphml" in graphml and "Jaydee" in graphml

    assert page.evaluate("window.__cspViolations") == []
    assert errors == []

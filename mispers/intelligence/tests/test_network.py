"""The network (issue 14, ADR 50): the graph of a force's children, entities and places for a
period and filters, its hubs (hubs.py, the policy's rule), communities and the children missing
or found together; the page, its exports and the child's panel; police-only, pseudonymous for
the analyst, and another force's data never shown."""

import csv
import datetime as dt
import io

import networkx as nx
import pytest
from django.urls import reverse

from mispers.accounts.models import AccessLog
from mispers.analysis.pseudonym import child_pseudonym
from mispers.core.testing import page_text
from mispers.intelligence.hubs import HubRule
from mispers.intelligence.network import NetworkFilters, build_network
from mispers.intelligence.tests.network_scene import ring
from mispers.partners.tests.together import world

pytestmark = pytest.mark.django_db
RULE = HubRule(children=3, window_days=365)


@pytest.fixture
def scene(force, other_force, now, child_details, make_user):
    return ring(force=force, other_force=other_force, now=now, child_details=child_details,
                make_user=make_user)


def filters(now, **changes):
    return NetworkFilters(start=now.date().replace(year=now.year - 1), end=now.date(),
                          **changes)


def built(scene, now, pseudonymous=False, **changes):
    return build_network(force_id=scene.coordinator.force_id, filters=filters(now, **changes),
                         rule=RULE, pseudonymous=pseudonymous)


def labels(network):
    return {node.label for node in network.nodes.values()}


def test_the_graph_has_the_hub_the_shared_car_the_flat_and_the_children(scene, now):
    network = built(scene, now)
    assert [hub.label for hub in network.hubs] == ["Jaydee"]
    assert network.hubs[0].hub_children == 3
    found = labels(network)
    assert {"Abi Ringtest", "Bella Ringtest", "Cleo Ringtest", "Dana Ringtest"} <= found
    assert "YK18 RNG (White Corsa)" in found and "Flat 9, Quay Court, PL1 3ZZ" in found
    # The peer is linked to one child only: below the default minimum of two.
    assert "Peer Onlyone" not in found
    # Another force's ring never appears.
    assert not any("Otherforcechild" in label or "Elsewhere" in label for label in found)
    # Cleo and Dana: missing from the home at the same time, and found together at the flat.
    together = {(a.label, b.label, edge.relation) for a, b, edge in network.together()}
    assert together == {("Cleo Ringtest", "Dana Ringtest",
                         "found_together, missing_together")}
    # One community holds the ring.
    assert network.communities and network.communities[0].hubs[0].label == "Jaydee"


def test_the_filters_narrow_the_graph(scene, now):
    assert "Peer Onlyone" in labels(built(scene, now, min_links=1))
    # The car's links are graded C4: asking for B or better leaves it out.
    assert "YK18 RNG (White Corsa)" not in labels(built(scene, now, source_evaluation="B"))
    assert "YK18 RNG (White Corsa)" not in labels(built(scene, now, information_assessment="3"))
    only_seen = built(scene, now, kinds=("seen_with",), together=False)
    assert labels(only_seen) == {"Jaydee", "Abi Ringtest", "Bella Ringtest", "Cleo Ringtest"}
    # A hub stays a hub when a filter hides some of its links (the policy's rule counts all).
    graded = built(scene, now, kinds=("picked_up_by",))
    assert graded.hubs == [] and graded.hubs_filtered_out == 1


def test_the_analyst_sees_pseudonymous_ids_only(scene, now):
    network = built(scene, now, pseudonymous=True)
    text = " ".join(f"{n.id} {n.label} {n.url}" for n in network.nodes.values())
    for secret in ("Ringtest", "Jaydee", "YK18", "Quay Court", "PL1", str(scene.girls[0].pk)):
        assert secret not in text
    assert child_pseudonym(scene.girls[0].pk) in network.nodes
    hub = network.hubs[0]
    assert hub.label.startswith("Person of interest e-") and hub.hub_children == 3


def test_the_coordinator_sees_the_page_with_the_hub_and_every_child_is_logged(client, scene,
                                                                              now):
    client.force_login(scene.coordinator)
    response = client.get(reverse("intelligence:network"), {"end": now.date().isoformat()})
    text = page_text(response)
    assert response.status_code == 200
    assert "Hubs (1)" in text and "Jaydee" in text and "Abi Ringtest" in text
    assert "Otherforcechild" not in text and "Elsewhere" not in text
    assert 'id="network-data"' in response.content.decode()
    logged = set(AccessLog.objects.filter(user=scene.coordinator, object_type="network_child")
                 .values_list("child_id", flat=True))
    assert logged == {girl.pk for girl in scene.girls}


def test_the_period_is_asked_for_as_gov_uk_dates_and_a_bad_one_is_named(client, scene, now):
    client.force_login(scene.coordinator)
    page = client.get(reverse("intelligence:network"))
    html = page.content.decode()
    # Day, month and year boxes holding the period the page opened on, no browser date picker.
    start = now.date() - dt.timedelta(days=365)
    assert 'type="date"' not in html
    assert f'id="network-start_year" name="start_year" type="text" inputmode="numeric" ' \
           f'autocomplete="off" spellcheck="false" value="{start.year}"' in html
    bad = client.get(reverse("intelligence:network"), {
        "start_day": "31", "start_month": "2", "start_year": str(now.year),
        "end_day": str(now.day), "end_month": str(now.month), "end_year": str(now.year)})
    text = page_text(bad, 400)
    assert text.count("The start of the period must be a real date") == 2  # summary and field
    assert 'href="#network-start_day"' in bad.content.decode()
    backwards = client.get(reverse("intelligence:network"), {
        "start": now.date().isoformat(), "end": (now.date() - dt.timedelta(days=1)).isoformat()})
    assert "The end of the period must be on or after its start" in page_text(backwards, 400)


def test_the_exports_hold_the_hub_with_the_same_filters_and_are_logged(client, scene, now):
    client.force_login(scene.coordinator)
    query = {"end": now.date().isoformat(), "min_links": "1"}
    response = client.get(reverse("intelligence:network_csv"), query)
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    hub_rows = [r for r in rows if r["target_label"] == "Jaydee"]
    assert len(hub_rows) == 3 and all(r["target_hub"] == "yes" for r in hub_rows)
    assert any(r["target_label"] == "Peer Onlyone" for r in rows)  # min_links=1 applied
    graph = nx.read_graphml(io.BytesIO(client.get(reverse("intelligence:network_graphml"),
                                                  query).content))
    jaydee = f"entity:{scene.jaydee.pk}"
    assert graph.nodes[jaydee]["label"] == "Jaydee" and graph.nodes[jaydee]["hub"] is True
    assert graph.degree(jaydee) == 3
    logged = set(AccessLog.objects.filter(user=scene.coordinator, object_type="network_child")
                 .values_list("child_id", flat=True))
    assert logged == {girl.pk for girl in scene.girls}


def test_the_analyst_gets_the_page_and_exports_without_names(client, scene, now, force,
                                                             make_user):
    analyst = make_user(force=force, roles=["analyst"], username="ring-analyst")
    client.force_login(analyst)
    query = {"end": now.date().isoformat()}
    pages = [client.get(reverse(name), query) for name in
             ("intelligence:network", "intelligence:network_csv",
              "intelligence:network_graphml")]
    assert [p.status_code for p in pages] == [200, 200, 200]
    for page in pages:
        body = page.content.decode()
        for secret in ("Ringtest", "Jaydee", "YK18", "Quay Court", str(scene.girls[0].pk)):
            assert secret not in body
    assert "Hubs (1)" in page_text(pages[0])
    assert child_pseudonym(scene.girls[0].pk) in pages[1].content.decode()
    assert set(AccessLog.objects.filter(user=analyst, object_type="network_child")
               .values_list("child_id", flat=True)) == {girl.pk for girl in scene.girls}


@pytest.mark.parametrize("roles", [["commissioner"], ["force_admin"], ["data_protection"],
                                   ["commissioner", "analyst"]])
def test_the_commissioners_office_and_administrators_are_refused(client, scene, force,
                                                                 make_user, roles):
    client.force_login(make_user(force=force, roles=roles))
    for name in ("intelligence:network", "intelligence:network_csv",
                 "intelligence:network_graphml"):
        assert client.get(reverse(name)).status_code == 403


def test_partners_are_refused_and_their_child_page_has_no_network(client, scene, force, now,
                                                                  child_details):
    w = world(force=force, now=now, child_details=child_details, prefix="n-")
    from mispers.intelligence.tests.network_scene import link

    link(scene.coordinator, now, w.child, scene.jaydee)
    for user in (w.users.social_worker, w.users.care_worker, w.users.rhi_worker):
        client.force_login(user)
        for name in ("intelligence:network", "intelligence:network_csv",
                     "intelligence:network_graphml"):
            assert client.get(reverse(name)).status_code == 403
        page = client.get(reverse("partners:child", args=[w.child.pk]))
        text = page_text(page) if page.status_code == 200 else ""
        assert "Jaydee" not in text and "Network" not in text and "Ringtest" not in text


def test_the_childs_page_shows_the_network_panel_to_the_police_only(client, scene, now, force,
                                                                    make_user):
    abi = scene.girls[0]
    client.force_login(scene.coordinator)
    text = page_text(client.get(reverse("people:detail", args=[abi.pk])))
    assert "Network" in text and "Hub: 3 children in 365 days" in text
    assert "Bella Ringtest" in text and "Cleo Ringtest" in text
    assert AccessLog.objects.filter(user=scene.coordinator, object_type="network_child",
                                    child_id=scene.girls[2].pk).exists()
    for roles in (["analyst"], ["commissioner"], ["force_admin"]):
        client.force_login(make_user(force=force, roles=roles))
        response = client.get(reverse("people:detail", args=[abi.pk]))
        assert response.status_code in (200, 403)
        assert "Hub: 3 children" not in response.content.decode()
        assert "Bella Ringtest" not in response.content.decode()


def test_children_returned_to_their_own_home_do_not_make_it_a_hub(scene, now):
    from mispers.casework.found import return_record
    from mispers.intelligence.hubs import hubs_as_of
    from mispers.partners.tests.together import graded_episode

    for girl in scene.girls[:2]:
        episode = graded_episode(actor=scene.coordinator, now=now - dt.timedelta(days=2),
                                 child=girl, grader=scene.coordinator)
        return_record(actor=scene.coordinator, now=now, episode=episode,
                      found_at=now - dt.timedelta(days=1),
                      found_where="Returned to the placement", found_by="own_accord",
                      condition="safe_and_well", found_place=scene.home)
    # Two children returned home would make it a hub of two, were returns home counted.
    hubs = hubs_as_of(force_id=scene.coordinator.force_id, on=now.date(),
                      rule=HubRule(children=2, window_days=365))
    assert ("place", scene.home.pk) not in hubs and ("place", scene.flat.pk) in hubs
    assert "Harbour View Children's Home, PL1 1AA" not in labels(built(scene, now, min_links=1))


@pytest.mark.parametrize("rule", [RULE, HubRule(children=2, window_days=365),
                                  HubRule(children=2, window_days=30)])
def test_the_default_view_counts_the_same_hubs_as_the_rule(scene, now, rule):
    """The page's default view counts hubs on the rows it has read (ADR 50); every other view
    asks the rule. Both must flag the same hubs with the same children."""
    from mispers.casework.found import return_record
    from mispers.intelligence.hubs import hubs_as_of
    from mispers.partners.tests.together import graded_episode

    episode = graded_episode(actor=scene.coordinator, now=now - dt.timedelta(days=3),
                             child=scene.girls[0], grader=scene.coordinator)
    return_record(actor=scene.coordinator, now=now, episode=episode,
                  found_at=now - dt.timedelta(days=1), found_where="At the flat",
                  found_by="police", condition="safe_and_well", found_place=scene.flat)
    force_id = scene.coordinator.force_id
    expected = {(kind, ident.hex): len(children) for (kind, ident), children
                in hubs_as_of(force_id=force_id, on=now.date(), rule=rule).items()}
    assert expected  # the scene has hubs under every rule here
    start = now.date() - dt.timedelta(days=rule.window_days)
    views = {
        "default": NetworkFilters(start=start, end=now.date(), min_links=rule.children),
        "pairs": NetworkFilters(start=start, end=now.date(), min_links=1),
        "longer": NetworkFilters(start=start - dt.timedelta(days=1), end=now.date(),
                                 min_links=1),
        "graded": NetworkFilters(start=start, end=now.date(), min_links=1,
                                 source_evaluation="B"),
    }
    for name, view in views.items():
        network = build_network(force_id=force_id, filters=view, rule=rule,
                                pseudonymous=False)
        flagged = {node.key: node.hub_children for node in network.nodes.values() if node.hub}
        shown = {key: count for key, count in expected.items()
                 if any(node.key == key for node in network.nodes.values())}
        assert flagged == shown, name
        assert len(flagged) + network.hubs_filtered_out == len(expected), name
    default = build_network(force_id=force_id, filters=views["default"], rule=rule,
                            pseudonymous=False)
    assert {node.key for node in default.hubs} == set(expected)

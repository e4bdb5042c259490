"""Every page and API endpoint that shows a child writes an access-log row for that child
(Data Protection Act 2018 s.62; docs/adr/0019-access-log.md).

The addresses come from the URL resolver and the records from the access matrix's scene (so a
new page, or a new kind of record there, is walked here without anyone remembering to), plus a
second child with an open episode so that lists, queues and searches have rows. Each address is
opened by users of each kind; whenever the answer names a child (their family name is in it),
the request must have written a `shown` row for that user and that child. The Django admin is
walked the same way as a superuser."""

import datetime as dt
import html
import uuid

import pytest
from django.contrib import admin
from django.urls import resolve, reverse

from mispers.accounts.models import AccessLog, User
from mispers.accounts.roles import Rank
from mispers.accounts.services import user_create
from mispers.casework.children import child_create
from mispers.intelligence.tests.builders import linked_associate
from mispers.partners.models import Responsibility
from mispers.partners.tests.test_access_matrix import ROUTES, address, routes
from mispers.partners.tests.together import PASSWORD, found, graded_episode, world
from mispers.people.services import marker_add

pytestmark = pytest.mark.django_db

FIRST, SECOND = "Partnerchild", "Openbrook"
# Pages that only list or find children once asked: the question a user would ask.
QUERIES = {
    "people:search": f"q={SECOND}",
    "episodes:report": f"q={SECOND}",
    "api:children": f"q={SECOND}",
    "api:child-candidates": f"given_name=Milo&family_name={SECOND}",
}
WALKERS = ["officer", "supervisor", "inspector", "coordinator", "social_worker", "care_worker",
           "rhi_worker", "la_admin"]
# Lists that must have shown a child, or the scene is too thin to prove anything.
MUST_SHOW = {
    "officer": {"episodes:open", "people:search", "episodes:report", "reviews:mine",
                "api:episodes", "api:children", "api:child-candidates", "api:queue-mine"},
    "inspector": {"reviews:supervision", "api:queue-supervisor"},
    "coordinator": {"returns:coordinator", "api:queue-coordinator", "partners:sharing"},
    "care_worker": {"partners:home", "partners:alerts", "api:partner-children",
                    "api:partner-alerts"},
    "rhi_worker": {"partners:interviews"},
}


RANKS = {"officer": Rank.OFFICER, "supervisor": Rank.SERGEANT, "inspector": Rank.INSPECTOR}


@pytest.fixture
def scene(force, now, child_details):
    """The access matrix's records (a looked-after child with a found episode and partners
    responsible) and a second child with an episode still open."""
    w = world(force=force, now=now, child_details=child_details)
    users = {"coordinator": w.coordinator, **vars(w.users)}
    for role, rank in RANKS.items():
        users[role] = user_create(username=f"c-{role}", password=PASSWORD, force=force,
                                  roles=[role], rank=rank)
    officer = users["officer"]
    episode = graded_episode(actor=officer, now=now - dt.timedelta(hours=2), child=w.child,
                             grader=officer)
    found(actor=officer, now=now, episode=episode, found_at=now - dt.timedelta(hours=1))
    second = child_create(actor=officer, now=now, force=force, details=child_details(
        given_name="Milo", family_name=SECOND))
    graded_episode(actor=officer, now=now - dt.timedelta(hours=3), child=second,
                   grader=officer)
    alert = w.users.care_worker.notifications.first()
    marker = marker_add(actor=w.coordinator, now=now, child=w.child, kind="self_harm",
                        source="police", active_from=now.date())
    associate = linked_associate(actor=officer, now=now, child=w.child)  # issue 14
    kwargs = {
        "entity": {"pk": associate.pk},
        "marker": {"pk": w.child.pk, "marker_pk": marker.pk},
        "conflict": {"pk": w.child.pk, "field": "local_authority"},
        "absent_officer": {"unit": "officer", "unit_id": uuid.uuid4()},
        None: {}, "episode": {"pk": episode.pk}, "child": {"pk": w.child.pk},
        "assessment": {"pk": episode.assessments.get().pk},
        "rhi": {"pk": episode.return_home_interview.pk},
        "responsibility": {"pk": Responsibility.objects.filter(child=w.child).first().pk},
        "alert": {"pk": alert.pk if alert else 987654}, "absent": {"pk": uuid.uuid4()},
        "absent_int": {"pk": 987654}, "organisation": {"pk": w.la.pk},
        "partner_user": {"pk": w.users.social_worker.pk},
    }
    return users, kwargs, {FIRST: w.child, SECOND: second}


def _text(response) -> str:
    if response.get("Content-Type", "").startswith(("text/html", "application/json",
                                                    "text/csv")):
        return html.unescape(response.content.decode())
    return ""


def _walk(client, user, url, children) -> tuple[bool, list[str]]:
    """GET `url`: whether the answer names a child, and each child it names with no `shown`
    row written by that request."""
    before = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.get(url)
    if response.status_code != 200:
        return False, []
    text = _text(response)
    named = [family for family in children if family in text]
    logged = set(AccessLog.objects.filter(id__gt=before, user=user, outcome="shown")
                 .values_list("child_id", flat=True))
    return bool(named), [f"{url} names {family} but wrote no access-log row for them"
                         for family in named if children[family].pk not in logged]


@pytest.mark.parametrize("who", WALKERS)
def test_every_page_that_names_a_child_logs_it(scene, client, who):
    users, kwargs, children = scene
    user = users[who]
    client.force_login(user)
    missing, showed = [], set()
    for route, name in routes():
        # The access matrix classifies every address (and fails until it does); one it has not
        # classified yet is walked here when it takes no record.
        kind, _rule = ROUTES.get(name, ("nowhere" if "<" in route else None, None))
        if kind == "nowhere":
            continue
        assert kind in kwargs, f"{name}: give the scene a record of kind {kind!r}"
        url = address(name, kwargs[kind])
        if not resolve(url).func.__module__.startswith("mispers."):
            continue  # third-party pages (sign-in, two-factor, the schema) show no child
        if name in QUERIES:
            url += "?" + QUERIES[name]
        named, problems = _walk(client, user, url, children)
        if named:
            showed.add(name)
        missing += problems
    assert missing == [], f"{who}:\n" + "\n".join(missing)
    assert MUST_SHOW.get(who, set()) - showed == set(), sorted(showed)


def test_every_admin_page_that_names_a_child_logs_it(scene, client):
    _users, _kwargs, children = scene
    superuser = User.objects.create_superuser(username="root", password="x" * 20,
                                              email="root@example.org")
    client.force_login(superuser)
    missing, showed = [], []
    for model, _model_admin in admin.site._registry.items():
        meta = model._meta
        urls = [reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change",
                                args=[first.pk]))
        for url in urls:
            named, problems = _walk(client, superuser, url, children)
            showed += [url] if named else []
            missing += problems
    assert missing == [], "\n".join(missing)
    assert any("/responsibility/" in url for url in showed), showed
    rows = AccessLog.objects.filter(user=superuser, channel="admin", outcome="shown")
    assert rows.filter(child_id=children[FIRST].pk).exists()

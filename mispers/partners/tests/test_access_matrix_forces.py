"""The access matrix across forces (issue 9, ADR 0014): every address and every API operation,
opened by users on both sides of a shared partner organisation.

Force A owns the records (a child, an episode, its assessment and return-home interview, a
responsibility, an alert, an organisation that works with A only and its user). Force B has
asked for, and A has accepted, a link to A's children's services; B's administrator then added a
user and a partner administrator to it ("other force's partner"), the attack of issue 9. An
organisation B added and that has only a pending request to A is the "unlinked organisation".

Who, and what each must get:
- own force (A's force administrator and coordinator) and own partner (A's social worker and
  partner administrator): exactly what test_access_matrix.ROUTES says for those roles;
- other force: B's officer/sergeant as ROUTES' other-force user; B's administrator and
  coordinator never a 2xx on A's records;
- other force's partner (users B added to A's own children's services): exactly what a partner
  of an unrelated organisation gets, which is the leak closed: their organisation IS responsible
  for A's child, their force is not A;
- unlinked organisation: as an unrelated partner.
And no page or API answer to anyone on B's side names A's child. Addresses come from the URL
resolver and operations from the OpenAPI schema, so an unclassified address fails here too."""

import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mispers.accounts.passwords import password_changed
from mispers.accounts.roles import Rank
from mispers.accounts.services import user_create
from mispers.casework.children import child_create
from mispers.intelligence.tests.builders import linked_associate
from mispers.partners import services
from mispers.partners.models import Responsibility
from mispers.people.services import marker_add

from .test_access_matrix import OTHER_FORCE, OTHER_FORCE_ROLES, ROUTES, address, routes
from .together import PASSWORD, found, graded_episode, world

pytestmark = pytest.mark.django_db

A_CHILD = "Partnerchild"  # force A's child's family name: never in an answer to force B's side
B_CHILD = "Borderchild"  # force B's child, whom B's own partner user does see

# The team pages, the sign-in lockouts and the sharing log are a partner administrator's own
# organisation's (scoped inside); everything else about children is as for an unrelated partner.
TEAM = {"partners:team", "partners:team_user_new", "partners:team_user_active",
        "partners:team_link_decide", "partners:team_link_end", "partners:sharing",
        "lockouts"}
RECORD_KINDS = {"child", "episode", "assessment", "rhi", "responsibility", "alert",
                "organisation", "partner_user", "entity"}


def same_as(base_who):
    return lambda name, rule: rule(base_who)


def partner_admin_elsewhere(name, rule):
    return rule("la_admin" if name in TEAM else "other_social_worker")


def never_2xx(name, rule):
    return None  # checked below: no 2xx on A's records, no A child in any answer


# who -> (side, expectation)
WHO = {
    "own_force_admin": ("own", same_as("force_admin")),
    "own_coordinator": ("own", same_as("coordinator")),
    "own_partner": ("own", same_as("social_worker")),
    "own_partner_admin": ("own", same_as("la_admin")),
    "other_force_officer": ("other", same_as(OTHER_FORCE)),
    "other_force_admin": ("other", never_2xx),
    "other_force_coordinator": ("other", never_2xx),
    "other_force_partner": ("other", same_as("other_social_worker")),
    "other_force_partner_admin": ("other", partner_admin_elsewhere),
    "unlinked_partner": ("other", same_as("other_care_worker")),
}


def test_every_address_is_classified_here_too():
    assert {name for _, name in routes()} - set(ROUTES) == set(), "classify it in ROUTES"


def _ready(user, now):
    return password_changed(user=user, now=now)  # as after their first sign-in


@pytest.fixture
def sides(force, other_force, now, child_details):
    w = world(force=force, now=now, child_details=child_details)
    admin_a = user_create(username="x-admin-a", password=PASSWORD, force=force,
                          roles=["force_admin"])
    admin_b = user_create(username="x-admin-b", password=PASSWORD, force=other_force,
                          roles=["force_admin"])
    coordinator_b = user_create(username="x-coord-b", password=PASSWORD, force=other_force,
                                roles=["coordinator"], rank=Rank.SERGEANT)
    officer_b = user_create(username="x-officer-b", password=PASSWORD, force=other_force,
                            roles=sorted(OTHER_FORCE_ROLES), rank=Rank.SERGEANT)
    # B asks to work with A's children's services; A accepts.
    link = services.link_request(actor=admin_b, now=now, organisation=w.la)
    services.link_decide(actor=admin_a, now=now, link_id=link.pk, accept=True)

    def b_adds(organisation, username, role):
        return _ready(services.partner_user_add(
            actor=admin_b, now=now, organisation=organisation, username=username,
            first_name="Bee", last_name=username.title(), email=f"{username}@example.org",
            role=role, password="lighthouse-orange-kettle"), now)

    mole = b_adds(w.la, "mole", "social_worker")
    mole_admin = b_adds(w.la, "moleadmin", "partner_admin")
    # An organisation B added, with only a pending request to work with A.
    b_org = services.organisation_add(actor=admin_b, now=now, name="Wirral Homes",
                                      kind="care_provider")
    services.link_request(actor=admin_a, now=now, organisation=b_org)
    b_carer = b_adds(b_org, "wirralcarer", "care_worker")
    # Force B's own child, placed by A's children's services in B's area: B's user sees them.
    b_child = child_create(actor=coordinator_b, now=now, force=other_force,
                           details=child_details(given_name="Tia", family_name=B_CHILD))
    services.responsibility_start(actor=coordinator_b, now=now, child=b_child,
                                  organisation=w.la, kind="placing_authority",
                                  starts_on=now.date() - dt.timedelta(days=10))
    # Force A's records.
    officer_a = user_create(username="x-officer-a", password=PASSWORD, force=force,
                            roles=["officer"], rank=Rank.OFFICER)
    episode = graded_episode(actor=officer_a, now=now - dt.timedelta(hours=2), child=w.child,
                             grader=officer_a)
    found(actor=officer_a, now=now, episode=episode, found_at=now - dt.timedelta(hours=1))
    users = {
        "own_force_admin": admin_a, "own_coordinator": w.coordinator,
        "own_partner": w.users.social_worker, "own_partner_admin": w.users.la_admin,
        "other_force_officer": officer_b, "other_force_admin": admin_b,
        "other_force_coordinator": coordinator_b, "other_force_partner": mole,
        "other_force_partner_admin": mole_admin, "unlinked_partner": b_carer,
    }
    marker = marker_add(actor=w.coordinator, now=now, child=w.child, kind="self_harm",
                        source="police", active_from=now.date())
    associate = linked_associate(actor=officer_a, now=now, child=w.child)  # issue 14
    kwargs = {
        "entity": {"pk": associate.pk},
        "marker": {"pk": w.child.pk, "marker_pk": marker.pk},
        "conflict": {"pk": w.child.pk, "field": "local_authority"},
        "absent_officer": {"unit": "officer", "unit_id": uuid.uuid4()},
        None: {}, "episode": {"pk": episode.pk}, "child": {"pk": w.child.pk},
        "assessment": {"pk": episode.assessments.get().pk},
        "rhi": {"pk": episode.return_home_interview.pk},
        "responsibility": {"pk": Responsibility.objects.filter(child=w.child).first().pk},
        "alert": {"pk": w.users.care_worker.notifications.first().pk},
        "absent": {"pk": uuid.uuid4()}, "absent_int": {"pk": 987654},
        # Records of A alone: the organisation works with A only, its user works for A only.
        "organisation": {"pk": w.home.pk}, "partner_user": {"pk": w.users.care_worker.pk},
    }
    ids = {"child": w.child.pk, "episode": episode.pk, "rhi": episode.return_home_interview.pk,
           "assessment": episode.assessments.get().pk, "organisation": w.home.pk,
           "link": w.home.force_links.get().pk, "alert": kwargs["alert"]["pk"],
           "user": w.users.care_worker.pk}
    return users, kwargs, ids, w, b_child


@pytest.mark.parametrize("who", list(WHO))
def test_pages_across_forces(sides, client, who):
    users, kwargs, _ids, w, _b_child = sides
    side, expect = WHO[who]
    client.force_login(users[who])
    wrong = []
    for _, name in routes():
        if name not in ROUTES:
            continue  # fails test_every_address_is_classified_here_too
        kind, rule = ROUTES[name]
        url = address(name, kwargs[kind] if kind != "nowhere" else {})
        response = client.get(url)
        status = response.status_code
        expected = expect(name, rule)
        if expected is not None and status != expected:
            wrong.append(f"{name} {url}: {status}, expected {expected}")
        if side == "other":
            if kind in RECORD_KINDS and 200 <= status < 300:
                wrong.append(f"{name} {url}: {status} on force A's record")
            if A_CHILD in response.content.decode(errors="replace"):
                wrong.append(f"{name} {url}: names force A's child")
    assert wrong == [], f"{who}:\n" + "\n".join(wrong)


def test_force_bs_partner_sees_force_bs_child_only(sides, client):
    users, *_ = sides
    client.force_login(users["other_force_partner"])
    page = client.get("/partners/").content.decode()
    assert B_CHILD in page and A_CHILD not in page
    client.force_login(users["own_partner"])
    page = client.get("/partners/").content.decode()
    assert A_CHILD in page and B_CHILD not in page


# --- every API operation in the OpenAPI schema ---------------------------------------------------

def _fill(path: str, ids: dict) -> tuple[str, bool]:
    """The path with force A's record for its parameter (guessed from the segment before it),
    and whether it names one of A's records."""
    names = {"children": "child", "episodes": "episode", "assessments": "assessment",
             "return-home-interview": "rhi", "return-interviews": "rhi",
             "partner-organisations": "organisation", "partner-organisation-links": "link",
             "alerts": "alert", "users": "user"}
    record = False

    def value(match):
        nonlocal record
        before = path[:match.start()].rstrip("/").rsplit("/", 1)[-1]
        key = names.get(before)
        if key:
            record = True
            return str(ids[key])
        return "987654" if "int" in match.group(1) else str(uuid.uuid4())

    return re.sub(r"\{([^}]+)\}", value, path), record


@pytest.mark.parametrize("who", [w for w, (side, _) in WHO.items() if side == "other"])
def test_api_operations_across_forces(sides, who, now):
    users, _kwargs, ids, _w, _b_child = sides
    client = APIClient()
    client.force_authenticate(users[who])
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operations = [(path, method) for path, item in schema["paths"].items()
                  for method in ("get", "post", "put", "patch", "delete") if method in item]
    assert len(operations) > 40
    wrong = []
    for path, method in operations:
        url, names_a_record = _fill(path, ids)
        response = getattr(client, method)(url, {}, format="json")
        body = response.content.decode(errors="replace")
        if names_a_record and 200 <= response.status_code < 300:
            wrong.append(f"{method.upper()} {url}: {response.status_code} on A's record")
        if A_CHILD in body or str(ids["child"]) in body:
            wrong.append(f"{method.upper()} {url}: {response.status_code} names A's child")
    assert wrong == [], f"{who}:\n" + "\n".join(wrong)


def test_the_api_answers_force_as_own_users(sides):
    """The positive control for the test above: the same operations do reach A's records for
    A's own users, so a refusal above is the scoping, not a broken URL."""
    users, _kwargs, ids, _w, _b = sides
    client = APIClient()
    client.force_authenticate(users["own_partner"])
    assert client.get(f"/api/v1/partner/children/{ids['child']}/episodes/").status_code == 200
    client.force_authenticate(users["own_force_admin"])
    assert client.get(f"/api/v1/partner-organisations/{ids['organisation']}/").status_code == 200
    assert reverse("api:partner-organisation-links")

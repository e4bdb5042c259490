"""/api/v1/partner-organisations/: a force administrator lists, adds and reads the partner
organisations working with their force and adds their users; 400 with field names for bad
input (nothing written), 403 for other roles, 404 for another force's organisation."""

import uuid

import pytest
import time_machine
from rest_framework.test import APIClient

from mispers.accounts.models import User
from mispers.api.tests.helpers import refused
from mispers.partners import services
from mispers.partners.models import PartnerOrganisation

pytestmark = pytest.mark.django_db

API = "/api/v1/partner-organisations/"
PASSWORD = "lighthouse-orange-kettle"


@pytest.fixture(autouse=True)
def frozen(now):
    with time_machine.travel(now, tick=False):
        yield


@pytest.fixture
def force_admin(force, make_user):
    return make_user(force=force, roles=["force_admin"], username="fadmin")


@pytest.fixture
def other_admin(other_force, make_user):
    return make_user(force=other_force, roles=["force_admin"], username="otheradmin")


@pytest.fixture
def elsewhere(other_admin, now):
    return services.organisation_add(actor=other_admin, now=now, name="Mersey Homes",
                                     kind="care_provider")


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def new_user(**overrides):
    return dict(username="sam.carer", first_name="Sam", last_name="Carer",
                email="sam@home.example", role="care_worker", password=PASSWORD) | overrides


def test_the_list_has_the_forces_organisations_with_counts(force_admin, council, home, carer,
                                                           placed, elsewhere):
    body = api(force_admin).get(API).json()
    assert body["count"] == 2
    rows = {row["name"]: row for row in body["results"]}
    assert set(rows) == {"Plymouth Children's Services", "Oakview House"}
    assert rows["Oakview House"] | {"id": None} == {
        "id": None, "name": "Oakview House", "kind": "care_provider",
        "email": "care_provider@example.org", "active": True, "active_users": 1,
        "inactive_users": 0, "children_now": 1}


def test_adding_an_organisation_links_it_to_the_admins_force(force_admin, force):
    response = api(force_admin).post(API, {"name": "Harbour View", "kind": "rhi_provider",
                                           "email": "duty@harbour.example"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["forces"] == [{"code": force.code, "name": force.name}]
    assert body["users"] == [] and body["active"] is True
    assert PartnerOrganisation.objects.get(pk=body["id"]).active_forces().get() == force


@pytest.mark.parametrize("data, field", [
    ({"name": "", "kind": "care_provider"}, "name"),
    ({"name": "X", "kind": "police"}, "kind"),
    ({"name": "X", "kind": "care_provider", "email": "nope"}, "email"),
    ({"name": "Mersey Homes", "kind": "care_provider"}, "name"),  # exists: link it instead
    ({"kind": "care_provider"}, "name"),
])
def test_bad_organisations_are_400_with_the_field(force_admin, elsewhere, data, field):
    body = refused(api(force_admin).post(API, data, format="json"))
    assert field in body["field_errors"], body
    assert PartnerOrganisation.objects.count() == 1


def test_the_detail_has_forces_and_users_with_roles(force_admin, home, carer,
                                                    django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        body = api(force_admin).get(f"{API}{home.pk}/").json()
    assert body["name"] == "Oakview House" and body["children_now"] == 0
    assert [(u["username"], u["roles"], u["is_active"]) for u in body["users"]] == [
        ("carer", ["care_worker"], True)]
    assert "password" not in body["users"][0]


def test_another_forces_organisation_is_404(force_admin, elsewhere):
    client = api(force_admin)
    refused(client.get(f"{API}{elsewhere.pk}/"), 404)
    refused(client.get(f"{API}{uuid.uuid4()}/"), 404)
    refused(client.post(f"{API}{elsewhere.pk}/users/", new_user(), format="json"), 404)
    assert not User.objects.filter(username="sam.carer").exists()


def test_adding_a_user(force_admin, home):
    response = api(force_admin).post(f"{API}{home.pk}/users/", new_user(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["username"], body["roles"], body["is_active"]) == (
        "sam.carer", ["care_worker"], True)
    assert "password" not in body
    user = User.objects.get(username="sam.carer")
    assert user.organisation == home and user.check_password(PASSWORD)


@pytest.mark.parametrize("overrides, field", [
    ({"role": "officer"}, "role"),  # a police role
    ({"role": "social_worker"}, "role"),  # does not fit a care provider
    ({"role": "wizard"}, "role"),
    ({"username": "carer"}, "username"),  # taken
    ({"first_name": ""}, "first_name"),
    ({"email": "sam@"}, "email"),
    ({"password": "short"}, "password"),
    ({"password": "password1234"}, "password"),
])
def test_bad_users_are_400_with_the_field_and_nothing_written(force_admin, home, carer,
                                                              overrides, field):
    before = User.objects.count()
    body = refused(api(force_admin).post(f"{API}{home.pk}/users/", new_user(**overrides),
                                         format="json"))
    assert list(body["field_errors"]) == [field], body
    assert User.objects.count() == before


def test_only_force_admins_use_it(coordinator, officer, carer, make_partner, home,
                                  force_admin):
    boss = make_partner(home, ["partner_admin"], username="boss")
    for user in (coordinator, officer, carer, boss):
        client = api(user)
        assert client.get(API).status_code == 403
        assert client.get(f"{API}{home.pk}/").status_code == 403
        assert client.post(f"{API}{home.pk}/users/", new_user(), format="json").status_code \
            == 403
        assert client.post(API, {"name": "X", "kind": "care_provider"},
                           format="json").status_code == 403
    assert api().get(API).status_code == 401
    assert not User.objects.filter(username="sam.carer").exists()
    assert PartnerOrganisation.objects.count() == 1

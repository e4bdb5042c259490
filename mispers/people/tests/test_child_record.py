"""Issue 11: police correct a child's record with a reason kept in its history, and the
placement and responsible authority are one truth shared with the partner responsibilities:
a disagreement is shown on the child's page and resolved, never silently kept (ADR 38)."""

import dataclasses
import datetime as dt

import pytest
from django.urls import reverse

from mispers.casework.children import child_conflict_resolve, child_update
from mispers.matching.models import IdentityKey
from mispers.partners.models import Responsibility
from mispers.partners.selectors import record_conflicts
from mispers.people.details import ChildInvalid, details_of
from mispers.people.models import Alias, Child
from mispers.places.details import PlaceDetails
from mispers.places.services import place_create

pytestmark = pytest.mark.django_db


def form_data(child, **changes):
    data = {"given_name": child.given_name, "family_name": child.family_name,
            "date_of_birth": child.date_of_birth.isoformat() if child.date_of_birth else "",
            "estimated_age": child.estimated_age or "", "sex": child.sex,
            "ethnicity": child.ethnicity, "observed_ethnicity": child.observed_ethnicity,
            "description": child.description, "local_authority": child.local_authority,
            "placement_address": child.placement_address, "home_address": child.home_address,
            "placement-text": ""}
    if child.looked_after:
        data["looked_after"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_an_officer_corrects_the_record_and_the_history_keeps_why(client, episode, officer):
    child = episode.child
    client.force_login(officer)
    url = reverse("people:edit", args=[child.pk])
    page = client.get(url).content.decode()
    assert 'value="Testchild"' in page  # the form opens with the record as it is
    response = client.post(url, form_data(child, family_name="Testchild-Ahmed",
                                          date_of_birth="2011-07-01", observed_ethnicity="asian",
                                          reason="Birth certificate seen by the school"))
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.family_name == "Testchild-Ahmed" and child.date_of_birth == dt.date(2011, 7, 1)
    latest = child.history.latest()
    assert latest.history_change_reason == "Birth certificate seen by the school"
    assert latest.modified_by == officer
    # The old name stays findable, and the identity keys follow the corrected name at once.
    assert Alias.objects.filter(child=child, family_name="Testchild",
                                kind=Alias.Kind.PREVIOUS).exists()
    assert IdentityKey.objects.filter(child=child, family_norm__icontains="ahmed").exists()
    detail = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert "Birth certificate seen by the school" in detail
    assert "family name, date of birth, observed ethnicity changed" in detail


@pytest.mark.parametrize("changes, message", [
    ({"reason": ""}, "Say why you are changing the record"),
    ({"reason": "Checked", "date_of_birth": "2030-01-01"}, "must be in the past"),
    ({"reason": "Checked", "date_of_birth": "2001-01-01"}, "18 or over"),
    ({"reason": "Checked"}, "Nothing has changed"),
])
def test_bad_corrections_are_refused_and_nothing_is_written(client, episode, officer, changes,
                                                            message):
    child = episode.child
    before = child.history.count()
    client.force_login(officer)
    page = client.post(reverse("people:edit", args=[child.pk]), form_data(child, **changes))
    assert page.status_code == 200
    assert message in page.content.decode()
    assert Child.objects.get(pk=child.pk).history.count() == before


def test_only_police_who_work_reports_may_correct_a_record(client, episode, make_user, force,
                                                           outsider):
    analyst = make_user(force=force, roles=["analyst"])
    url = reverse("people:edit", args=[episode.child_id])
    client.force_login(analyst)
    assert client.get(url).status_code == 403
    client.force_login(outsider)
    assert client.post(url, form_data(episode.child, reason="x", given_name="Y")
                       ).status_code == 404
    assert Child.objects.get(pk=episode.child_id).given_name == "Amira"


@pytest.fixture
def placed(force, now, child_details):
    """A looked-after child whose placing authority and home are partner organisations."""
    from mispers.partners.tests.together import world

    w = world(force=force, now=now, child_details=child_details)
    coordinator = w.users.coordinator if hasattr(w.users, "coordinator") else None
    return w, coordinator


def _home_place(actor, now, provider, name="Harbour View House"):
    return place_create(actor=actor, now=now, details=PlaceDetails(
        kind="childrens_home", name=name, postcode="PL4 8AA", provider_id=provider.pk))


def test_a_placing_authority_recorded_by_partners_is_the_police_record_too(placed):
    w, _ = placed
    w.child.refresh_from_db()
    # child_details said "Plymouth City Council"; the responsibility names the partner.
    assert w.child.local_authority == w.la.name and w.child.looked_after
    assert w.child.history.latest().history_change_reason.startswith("Placing authority")
    assert record_conflicts(child=w.child, on=dt.date.today()) == []


def test_a_correction_that_contradicts_the_partner_record_is_refused(placed, now, sergeant):
    w, _ = placed
    child = Child.objects.get(pk=w.child.pk)
    with pytest.raises(ChildInvalid, match="partner record names .*Plymouth Children") as no:
        child_update(actor=sergeant, now=now, child=child, reason="Social worker said",
                     details=dataclasses.replace(details_of(child),
                                                 local_authority="Cornwall Council"))
    assert no.value.field == "local_authority"
    assert Child.objects.get(pk=child.pk).local_authority == w.la.name


def test_a_disagreement_is_shown_and_resolved_either_way(client, placed, now, sergeant):
    w, _ = placed
    coordinator = Child.objects.get(pk=w.child.pk).created_by
    child = Child.objects.get(pk=w.child.pk)
    # The child moved: the police record names a home run by another provider than the one the
    # partner record names (as the demo data once did).
    other_home = _home_place(coordinator, now, w.other_home, name="Moorside House")
    Child.objects.filter(pk=child.pk).update(placement=other_home, local_authority="Torbay")
    child.refresh_from_db()
    conflicts = {c.field: c for c in record_conflicts(child=child, on=now.date())}
    assert set(conflicts) == {"local_authority", "placement"}
    assert conflicts["placement"].partner.startswith(w.home.name)

    client.force_login(sergeant)
    page = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert "The police record and the partner record disagree" in page
    assert "Moorside House, run by" in page

    # The local authority: the partner's is right.
    url = reverse("people:resolve_conflict", args=[child.pk, "local_authority"])
    refused = client.post(url, {"right": "partner", "reason": ""})
    assert "Say how you know" in refused.content.decode()
    assert client.post(url, {"right": "partner", "reason": "Checked with the social worker"}
                       ).status_code == 302
    child.refresh_from_db()
    assert child.local_authority == w.la.name

    # The placement: the police record is right, but only the coordinator may end the
    # partner's responsibility.
    with pytest.raises(Exception, match="coordinator"):
        child_conflict_resolve(actor=sergeant, now=now, child=child, field="placement",
                               partner_is_right=False, reason="Seen at Moorside yesterday")
    child_conflict_resolve(actor=coordinator, now=now, child=child, field="placement",
                           partner_is_right=False, reason="Seen at Moorside yesterday")
    home = Responsibility.objects.get(child=child, organisation=w.home)
    assert home.ends_on == now.date()
    assert record_conflicts(child=child, on=now.date()) == []
    page = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert "disagree" not in page


def test_the_partner_home_is_right_clears_the_old_placement_and_asks_for_the_new(
        client, placed, now, sergeant):
    w, _ = placed
    coordinator = Child.objects.get(pk=w.child.pk).created_by
    stale = _home_place(coordinator, now, w.other_home, name="Moorside House")
    Child.objects.filter(pk=w.child.pk).update(placement=stale)
    client.force_login(sergeant)
    response = client.post(reverse("people:resolve_conflict", args=[w.child.pk, "placement"]),
                           {"right": "partner", "reason": "Moved last week"})
    assert response.status_code == 302 and response.url == reverse("people:edit",
                                                                    args=[w.child.pk])
    child = Child.objects.get(pk=w.child.pk)
    assert child.placement is None
    # Choosing the partner's home, named as a place, is accepted; a school is not a placement.
    current = _home_place(coordinator, now, w.home)
    edit = reverse("people:edit", args=[child.pk])
    page = client.post(edit, form_data(child, **{"placement-text": "Greenfields Academy",
                                                 "placement-choice": "new",
                                                 "placement-new_kind": "school",
                                                 "reason": "Moved"}))
    assert "A placement is a children" in page.content.decode()
    assert client.post(edit, form_data(child, **{"placement-text": "Harbour View House, PL4 8AA",
                                                 "reason": "Moved last week"})
                       ).status_code == 302
    assert Child.objects.get(pk=child.pk).placement == current

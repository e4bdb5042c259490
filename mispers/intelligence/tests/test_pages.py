"""Intelligence pages (issue 14): recording, linking from the child's page, merging and
confirming suggestions; police-only (partners and the commissioner's office refused, and
nothing of it on a partner's page), another force's records not found, every view logged."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mispers.accounts.models import AccessLog
from mispers.casework.children import child_create
from mispers.core.testing import page_text
from mispers.intelligence.models import Entity, EntityMerge, Link, Suggestion
from mispers.intelligence.services import entity_create, suggestions_from_text

pytestmark = pytest.mark.django_db

LINK = {"kind": "seen_with", "source": "enquiry_log", "source_evaluation": "A",
        "information_assessment": "2", "handling_code": "P", "note": ""}


def on(day: dt.date, name="occurred_on") -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def test_an_officer_records_and_links_from_the_childs_page(client, scene):
    w, officer, _jay = scene
    client.force_login(officer)
    bad = client.post(reverse("intelligence:create"), {"kind": "phone", "phone": "12345"})
    assert "is not a phone number" in page_text(bad)
    assert not Entity.objects.filter(kind="phone").exists()
    made = client.post(reverse("intelligence:create"), {"kind": "vehicle",
                                                        "registration": "xy19 abc",
                                                        "make": "Golf", "colour": "Black"})
    car = Entity.objects.get(kind="vehicle")
    assert made.status_code == 302 and car.key == "XY19ABC"
    link_page = reverse("intelligence:child_link", args=[w.child.pk])
    assert "XY19 ABC" in page_text(client.get(link_page, {"q": "xy19abc"}))
    today = timezone.localdate()
    response = client.post(link_page, {"entity": car.pk, **LINK, **on(today)})
    assert response.status_code == 302
    link = Link.objects.get(entity=car)
    assert link.child == w.child and link.grading == "A2P"
    child_page = page_text(client.get(reverse("people:detail", args=[w.child.pk])))
    assert "Associates, vehicles, phones and places" in child_page
    assert "XY19 ABC (Black Golf)" in child_page and "Jay Testassociate" in child_page
    assert AccessLog.objects.filter(user=officer, object_type="intelligence_link",
                                    object_id=str(link.pk), child_id=w.child.pk).exists()


def test_the_entity_page_shows_its_children_and_is_logged(client, scene):
    w, officer, jay = scene
    client.force_login(officer)
    text = page_text(client.get(reverse("intelligence:detail", args=[jay.pk])))
    assert "Partnerchild" in text and "B3P" in text and "Jaybird" in text
    assert AccessLog.objects.filter(user=officer, object_type="entity",
                                    object_id=str(jay.pk)).exists()
    assert AccessLog.objects.filter(user=officer, object_type="intelligence_link",
                                    child_id=w.child.pk).exists()
    assert "Jay Testassociate" in page_text(client.get(reverse("intelligence:index"),
                                                       {"q": "jaybird"}))


@pytest.mark.parametrize("who", ["care_worker", "social_worker", "rhi_worker"])
def test_partners_never_see_intelligence(client, scene, who):
    w, _officer, jay = scene
    partner = getattr(w.users, who)
    client.force_login(partner)
    page = page_text(client.get(reverse("partners:child", args=[w.child.pk])))
    assert "Partnerchild" in page  # the page is the child's
    assert "Jaybird" not in page and "Jay Testassociate" not in page
    assert "Associates, vehicles" not in page
    for url in [reverse("intelligence:index"), reverse("intelligence:detail", args=[jay.pk]),
                reverse("intelligence:suggestions"),
                reverse("intelligence:child_link", args=[w.child.pk])]:
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["commissioner", "analyst", "force_admin"])
def test_the_commissioner_analyst_and_administrator_are_refused(client, scene, force,
                                                                 make_user, role):
    _w, _officer, jay = scene
    client.force_login(make_user(force=force, roles=[role]))
    for url in [reverse("intelligence:index"), reverse("intelligence:detail", args=[jay.pk])]:
        assert "Jaybird" not in page_text(client.get(url), 403)


def test_another_forces_records_are_not_found_and_never_linked(client, scene, outsider, now,
                                                               other_force, child_details):
    w, officer, jay = scene
    client.force_login(outsider)
    assert client.get(reverse("intelligence:detail", args=[jay.pk])).status_code == 404
    theirs = child_create(actor=outsider, now=now, force=other_force,
                          details=child_details(family_name="Otherforce"))
    client.force_login(officer)
    url = reverse("intelligence:child_link", args=[theirs.pk])
    response = client.post(url, {"entity": jay.pk, **LINK, **on(timezone.localdate())})
    assert response.status_code == 404 and not Link.objects.filter(child=theirs).exists()
    assert AccessLog.objects.filter(user=officer, outcome="refused",
                                    child_id=theirs.pk).exists()


def test_merging_different_kinds_is_refused_on_the_page(client, scene, now):
    w, officer, jay = scene
    phone = entity_create(actor=officer, now=now, kind="phone", phone="07700 900321")
    client.force_login(w.coordinator)
    response = client.post(reverse("intelligence:merge", args=[jay.pk]),
                           {"duplicate": phone.pk, "reason": "Same"})
    assert "cannot be merged" in page_text(response, 400)
    phone.refresh_from_db()
    assert phone.merged_into is None and not EntityMerge.objects.exists()
    twin = entity_create(actor=officer, now=now, kind="phone", phone="+447700900321")
    client.force_login(officer)
    assert client.post(reverse("intelligence:merge", args=[phone.pk]),
                       {"duplicate": twin.pk, "reason": "Same"}).status_code == 403
    client.force_login(w.coordinator)
    assert client.post(reverse("intelligence:merge", args=[phone.pk]),
                       {"duplicate": twin.pk, "reason": "Same number"}).status_code == 302
    merge = EntityMerge.objects.get()
    assert client.post(reverse("intelligence:unmerge", args=[merge.pk]),
                       {"reason": "Typed twice"}).status_code == 302
    merge.refresh_from_db()
    assert merge.undone_at is not None


def test_a_suggestion_is_confirmed_on_its_page(client, scene, now):
    w, officer, _jay = scene
    suggestions_from_text(actor=officer, now=now, child=w.child, source="enquiry_log",
                          source_ref="enquiry:1", text="picked up in AB12 CDE by Jaybird")
    assert Suggestion.objects.count() == 1  # Jaybird is linked already: not suggested
    suggestion = Suggestion.objects.get()
    client.force_login(officer)
    listed = page_text(client.get(reverse("intelligence:suggestions")))
    assert "AB12 CDE" in listed and "Partnerchild" in listed
    assert AccessLog.objects.filter(user=officer, object_type="suggestion",
                                    child_id=w.child.pk).exists()
    response = client.post(reverse("intelligence:suggestion", args=[suggestion.pk]), {
        "kind": "picked_up_by", "source_evaluation": "B", "information_assessment": "3",
        "handling_code": "P", **on(timezone.localdate())})
    assert response.status_code == 302
    link = Link.objects.get(entity__kind="vehicle")
    assert link.child == w.child and link.kind == "picked_up_by"

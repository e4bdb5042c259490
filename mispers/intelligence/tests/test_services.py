"""Intelligence records through their services (issue 14): normalising, linking, merging and
unmerging, and the refusals that save nothing."""

import datetime as dt

import pytest

from mispers.casework.children import child_create
from mispers.core.errors import PermissionDenied
from mispers.intelligence.models import Entity, EntityMerge, IntelligenceEvent, Link
from mispers.intelligence.normalise import (
    EntityInvalid,
    phone_normalise,
    registration_display,
    registration_normalise,
)
from mispers.intelligence.services import (
    LinkInvalid,
    MergeRefused,
    entity_create,
    entity_merge,
    entity_unmerge,
    link_create,
)
from mispers.places.details import PlaceDetails
from mispers.places.services import place_create

pytestmark = pytest.mark.django_db

GRADED = dict(source="enquiry_log", source_evaluation="B", information_assessment="3")


@pytest.fixture
def coordinator(force, make_user):
    return make_user(force=force, roles=["coordinator"], rank="sergeant", username="coord")


@pytest.fixture
def child(officer, now, force, child_details):
    return child_create(actor=officer, now=now, force=force, details=child_details())


def events(code):
    return IntelligenceEvent.objects.filter(code=code).count()


# --- normalising ---------------------------------------------------------------------------

@pytest.mark.parametrize("typed, plate", [("ab12 cde", "AB12CDE"), (" AB12CDE ", "AB12CDE"),
                                          ("a123 bcd", "A123BCD"), ("ABC 123D", "ABC123D"),
                                          ("1 ABC", "1ABC")])
def test_registrations_are_normalised(typed, plate):
    assert registration_normalise(typed) == plate


@pytest.mark.parametrize("typed", ["", "hello world", "AB12CDEFG", "12345678", "!!"])
def test_a_registration_that_is_no_uk_format_is_refused(typed):
    with pytest.raises(EntityInvalid):
        registration_normalise(typed)


def test_phones_are_normalised_to_e164():
    assert phone_normalise("07700 900123") == "+447700900123"
    assert phone_normalise("+44 (0)7700 900123") == "+447700900123"
    assert phone_normalise("0044 7700 900123") == "+447700900123"
    for bad in ["", "call me", "0770", "077009001234567"]:
        with pytest.raises(EntityInvalid):
            phone_normalise(bad)
    assert registration_display("AB12CDE") == "AB12 CDE"


# --- entities --------------------------------------------------------------------------------

def test_entities_of_each_kind_are_recorded_normalised(officer, now):
    person = entity_create(actor=officer, now=now, kind="person", name="Jason Example",
                           aliases=["Jay", "jay", " J "], approximate_age=24,
                           role="suspected_exploiter")
    car = entity_create(actor=officer, now=now, kind="vehicle", registration="ab12 cde",
                        make="Ford Fiesta", colour="Black")
    phone = entity_create(actor=officer, now=now, kind="phone", phone="07700 900123")
    handle = entity_create(actor=officer, now=now, kind="handle", platform="snapchat",
                           handle="@Jay_Runs")
    assert person.aliases == ["Jay", "J"]
    assert (car.key, phone.key, handle.key) == ("AB12CDE", "+447700900123", "snapchat:jay_runs")
    assert car.label == "AB12 CDE (Black Ford Fiesta)" and phone.label == "07700 900123"
    assert all(e.force_id == officer.force_id for e in (person, car, phone, handle))
    assert events("entity_created") == 4
    assert person.history.count() == 1


def test_a_place_is_the_force_place_and_has_one_entity(officer, now):
    flat = place_create(actor=officer, now=now, details=PlaceDetails(
        kind="associate_address", name="Flat 3, Example Court", postcode="PL4 8AA"))
    first = entity_create(actor=officer, now=now, kind="place", place=flat)
    again = entity_create(actor=officer, now=now, kind="place", place=flat)
    assert first.pk == again.pk and first.place == flat and first.label.startswith("Flat 3")


@pytest.mark.parametrize("kwargs, field", [
    ({"kind": "vehicle", "registration": "not a plate"}, "registration"),
    ({"kind": "phone", "phone": "12"}, "phone"),
    ({"kind": "person", "name": " "}, "name"),
    ({"kind": "handle", "platform": "", "handle": "x"}, "platform"),
    ({"kind": "spaceship"}, "kind"),
])
def test_bad_input_saves_nothing(officer, now, kwargs, field):
    with pytest.raises(EntityInvalid) as error:
        entity_create(actor=officer, now=now, **kwargs)
    assert error.value.field == field
    assert Entity.objects.count() == 0 and IntelligenceEvent.objects.count() == 0


def test_partners_the_commissioner_and_the_analyst_cannot_record(force, make_user, now):
    for role in ["commissioner", "analyst", "force_admin"]:
        user = make_user(force=force, roles=[role])
        with pytest.raises(PermissionDenied):
            entity_create(actor=user, now=now, kind="phone", phone="07700 900123")
    assert Entity.objects.count() == 0


# --- links -----------------------------------------------------------------------------------

def test_a_link_is_graded_and_on_both_timelines(officer, now, child):
    jay = entity_create(actor=officer, now=now, kind="person", name="Jay")
    link = link_create(actor=officer, now=now, child=child, entity=jay, kind="seen_with",
                       occurred_on=now.date(), handling_code="C", **GRADED)
    assert link.grading == "B3C" and link.force_id == child.force_id
    linked = IntelligenceEvent.objects.get(code="linked")
    assert linked.child == child and linked.entity == jay and "B3C" in linked.summary


def test_a_link_to_another_forces_child_is_refused(officer, outsider, now, other_force,
                                                   child_details):
    theirs = child_create(actor=outsider, now=now, force=other_force,
                          details=child_details(family_name="Elsewhere"))
    jay = entity_create(actor=officer, now=now, kind="person", name="Jay")
    with pytest.raises(LinkInvalid, match="not a child of your force"):
        link_create(actor=officer, now=now, child=theirs, entity=jay, kind="seen_with",
                    occurred_on=now.date(), **GRADED)
    assert Link.objects.count() == 0 and events("linked") == 0


def test_another_forces_entity_cannot_be_linked(officer, outsider, now, child):
    theirs = entity_create(actor=outsider, now=now, kind="phone", phone="07700 900999")
    with pytest.raises(LinkInvalid):
        link_create(actor=officer, now=now, child=child, entity=theirs, kind="in_contact_with",
                    occurred_on=now.date(), **GRADED)
    assert Link.objects.count() == 0


@pytest.mark.parametrize("change, field", [
    ({"source_evaluation": "D"}, "source_evaluation"),
    ({"information_assessment": "6"}, "information_assessment"),
    ({"source": "rumour"}, "source"), ({"kind": "married_to"}, "kind"),
])
def test_a_link_outside_the_lists_is_refused(officer, now, child, change, field):
    jay = entity_create(actor=officer, now=now, kind="person", name="Jay")
    values = dict(kind="seen_with", occurred_on=now.date(), **GRADED)
    values.update(change)
    with pytest.raises(LinkInvalid) as error:
        link_create(actor=officer, now=now, child=child, entity=jay, **values)
    assert error.value.field == field and Link.objects.count() == 0


def test_a_future_date_and_found_at_a_person_are_refused(officer, now, child):
    jay = entity_create(actor=officer, now=now, kind="person", name="Jay")
    with pytest.raises(LinkInvalid):
        link_create(actor=officer, now=now, child=child, entity=jay, kind="seen_with",
                    occurred_on=now.date() + dt.timedelta(days=1), **GRADED)
    with pytest.raises(LinkInvalid):
        link_create(actor=officer, now=now, child=child, entity=jay, kind="found_at",
                    occurred_on=now.date(), **GRADED)


# --- merge and unmerge -------------------------------------------------------------------------

def test_duplicates_merge_and_unmerge(officer, coordinator, now, child):
    one = entity_create(actor=officer, now=now, kind="phone", phone="07700 900123")
    two = entity_create(actor=officer, now=now, kind="phone", phone="+44 7700 900123")
    link = link_create(actor=officer, now=now, child=child, entity=two, kind="in_contact_with",
                       occurred_on=now.date(), **GRADED)
    with pytest.raises(PermissionDenied):
        entity_merge(actor=officer, now=now, keep=one, duplicate=two, reason="Same number")
    merge = entity_merge(actor=coordinator, now=now, keep=one, duplicate=two,
                         reason="Same number")
    link.refresh_from_db()
    two.refresh_from_db()
    assert link.entity == one and two.merged_into == one
    assert merge.moved_links == [str(link.pk)] and events("merged") == 2
    # A link made to the kept record after the merge stays with it when the merge is undone.
    later = link_create(actor=officer, now=now, child=child, entity=one, kind="in_contact_with",
                        occurred_on=now.date(), **GRADED)
    entity_unmerge(actor=coordinator, now=now, merge=merge, reason="Different people's phones")
    link.refresh_from_db()
    later.refresh_from_db()
    two.refresh_from_db()
    assert link.entity == two and later.entity == one and two.merged_into is None
    assert EntityMerge.objects.get().undone_at == now and events("unmerged") == 2
    with pytest.raises(MergeRefused):
        entity_unmerge(actor=coordinator, now=now, merge=merge, reason="Again")


def test_entities_of_different_kinds_are_never_merged(officer, coordinator, now):
    phone = entity_create(actor=officer, now=now, kind="phone", phone="07700 900123")
    car = entity_create(actor=officer, now=now, kind="vehicle", registration="AB12CDE")
    with pytest.raises(MergeRefused, match="cannot be merged"):
        entity_merge(actor=coordinator, now=now, keep=phone, duplicate=car, reason="Same")
    car.refresh_from_db()
    assert car.merged_into is None and EntityMerge.objects.count() == 0
    with pytest.raises(MergeRefused):
        entity_merge(actor=coordinator, now=now, keep=phone, duplicate=phone, reason="Same")

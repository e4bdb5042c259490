"""Issue 11 (ADR 0042): what makes the strong-match check fire at intake, the warning that stops a
child being recorded twice. Each test is a household a call handler meets: a step-parent's
surname, a date of birth typed with one slip, twins and siblings at one address."""

import datetime as dt

import pytest

from mispers.casework.children import child_create
from mispers.matching.intake import IntakeQuery, intake_candidates
from mispers.people.services import ChildDetails

D = dt.date
HOME = "20 Church Road, Exeter"
pytestmark = pytest.mark.django_db


@pytest.fixture
def record(force, call_handler, now):
    def make(given, family, born, address="", sex="female"):
        return child_create(actor=call_handler, now=now, force=force, details=ChildDetails(
            given_name=given, family_name=family, date_of_birth=born, sex=sex,
            placement_address=address))
    return make


def search(user, now, given, family, born=None, address=""):
    return intake_candidates(user=user, query=IntakeQuery(
        given_name=given, family_name=family, date_of_birth=born, age_on=now.date(),
        address=address), limit=5)


def strong_for(found, child) -> bool:
    return any(c.child == child and c.strong for c in found)


@pytest.mark.parametrize("born", [
    D(2010, 4, 2),    # the same date of birth
    D(2010, 2, 4),    # day and month swapped
    D(2011, 4, 2),    # a year out
    D(2010, 4, 7),    # one digit
], ids=["exact", "swapped", "year", "digit"])
def test_a_step_parents_surname_at_the_same_address_is_strong_even_with_a_date_slip(
        record, call_handler, now, born):
    child = record("Harriet", "Rowe", D(2010, 4, 2), address=HOME)
    found = search(call_handler, now, "Harriet", "Lawrence", born, address="20 Church Rd, Exeter")
    assert strong_for(found, child)


def test_a_new_surname_with_a_typo_and_a_date_slip_is_not_strong(record, call_handler, now):
    # Three differences at once: the address alone does not make that one child.
    child = record("Harriet", "Rowe", D(2010, 4, 2), address=HOME)
    found = search(call_handler, now, "Garriet", "Lawrence", D(2011, 4, 2), address=HOME)
    assert not strong_for(found, child)


def test_twins_at_one_address_with_different_given_names_are_not_strong(record, call_handler,
                                                                        now):
    record("Alice", "Fletcher", D(2012, 3, 30), address=HOME)
    found = search(call_handler, now, "Eleanor", "Fletcher", D(2012, 3, 30), address=HOME)
    assert found and not any(c.strong for c in found)


def test_a_sibling_at_one_address_is_not_strong(record, call_handler, now):
    record("Alice", "Fletcher", D(2012, 3, 30), address=HOME)
    found = search(call_handler, now, "Eleanor", "Fletcher", D(2014, 8, 11), address=HOME)
    assert not any(c.strong for c in found)


def test_a_one_digit_date_slip_with_the_same_names_is_strong(record, call_handler, now):
    child = record("Nkechi", "Adeleke", D(2011, 7, 1), address=HOME)
    assert strong_for(search(call_handler, now, "Nkechi", "Adeleke", D(2011, 7, 4)), child)
    assert strong_for(search(call_handler, now, "Nkechi", "Adeleke", D(2011, 7, 4),
                             address=HOME), child)


@pytest.mark.parametrize("typed, recorded", [("Htu", "Thu Ingrid"), ("Tain", "Zain")])
def test_a_one_letter_slip_in_a_short_given_name_is_not_taken_for_a_twin(record, call_handler,
                                                                          now, typed, recorded):
    child = record(recorded, "Bains", D(2009, 10, 23), address=HOME)
    found = search(call_handler, now, typed, "Bains", D(2009, 10, 23), address=HOME)
    assert strong_for(found, child)


def test_a_child_of_the_other_sex_is_never_a_strong_match(record, call_handler, now):
    from mispers.matching.intake import strong_candidates

    # Twins a letter apart (Jessie and Jesse): the names alone would make it strong.
    jessie = record("Jessie", "Webb", D(2013, 7, 20), address=HOME, sex="female")
    jesse = ChildDetails(given_name="Jesse", family_name="Webb", date_of_birth=D(2013, 7, 20),
                         sex="male", placement_address=HOME)
    assert not strong_candidates(user=call_handler, details=jesse, today=now.date())
    # Not known on the new child: no evidence either way, the score decides.
    unknown = ChildDetails(given_name="Jesse", family_name="Webb", date_of_birth=D(2013, 7, 20),
                           placement_address=HOME)
    assert [c.child for c in strong_candidates(user=call_handler, details=unknown,
                                               today=now.date())] == [jessie]


# --- ADR 53: a rare given name makes up for a new family name; a common one does not ------------

def test_a_new_surname_with_a_rare_given_name_the_same_date_and_sex_is_strong_without_an_address(
        record, call_handler, now):
    from mispers.matching.intake import strong_candidates

    # Recorded under her mother's surname; reported again under her step-father's, no address.
    child = record("Oluwakemi", "Adeyemi", D(2012, 5, 17), sex="female")
    again = ChildDetails(given_name="Oluwakemi", family_name="Hartley",
                         date_of_birth=D(2012, 5, 17), sex="female")
    found = strong_candidates(user=call_handler, details=again, today=now.date())
    assert [c.child for c in found] == [child]
    assert any("surname differs (a change of surname?)" in r.text for r in found[0].agreed)


def test_a_new_surname_with_a_common_given_name_is_not_strong(record, call_handler, force, now):
    from mispers.matching.intake import strong_candidates
    from mispers.matching.services import children_bulk_load

    child = record("Lucy", "Lyons", D(2009, 4, 4), sex="female")
    # 120 more Lucys in the force: another Lucy born that day is no longer unlikely (121 of
    # 3,650 birthdays, more than the 3% ADR 54 allows).
    children_bulk_load(actor=call_handler, now=now, force=force, details=[
        ChildDetails(given_name="Lucy", family_name=f"Family{i}",
                     date_of_birth=D(2009, 6, 1) + dt.timedelta(days=29 * i), sex="female")
        for i in range(120)])
    again = ChildDetails(given_name="Lucy", family_name="Oakley", date_of_birth=D(2009, 4, 4),
                         sex="female")
    assert not strong_candidates(user=call_handler, details=again, today=now.date())
    # Still offered as a candidate for the call handler to judge.
    found = search(call_handler, now, "Lucy", "Oakley", D(2009, 4, 4))
    assert child in [c.child for c in found]


def test_a_new_surname_with_a_rare_given_name_needs_the_sex_and_no_other_address(
        record, call_handler, now):
    from mispers.matching.intake import strong_candidates

    record("Oluwakemi", "Adeyemi", D(2012, 5, 17), address=HOME, sex="female")
    no_sex = ChildDetails(given_name="Oluwakemi", family_name="Hartley",
                          date_of_birth=D(2012, 5, 17))
    assert not strong_candidates(user=call_handler, details=no_sex, today=now.date())
    elsewhere = ChildDetails(given_name="Oluwakemi", family_name="Hartley",
                             date_of_birth=D(2012, 5, 17), sex="female",
                             placement_address="7 Harbour Way, Truro")
    assert not strong_candidates(user=call_handler, details=elsewhere, today=now.date())


def test_a_new_surname_with_a_rare_given_name_and_a_one_digit_date_is_not_strong(
        record, call_handler, now):
    from mispers.matching.intake import strong_candidates

    # Thirty-odd dates are one digit from any date: too wide a net without the family name.
    record("Oluwakemi", "Adeyemi", D(2012, 5, 17), sex="female")
    again = ChildDetails(given_name="Oluwakemi", family_name="Hartley",
                         date_of_birth=D(2012, 5, 18), sex="female")
    assert not strong_candidates(user=call_handler, details=again, today=now.date())


def test_a_namesake_born_a_digit_apart_at_another_address_is_not_strong(record, call_handler,
                                                                          now):
    child = record("Astrid", "Muller", D(2011, 10, 10), address=HOME)
    # Another Astrid Muller in the force: a namesake is no coincidence any more.
    record("Astrid", "Muller", D(2015, 6, 2), address="3 Mill Lane, Truro")
    found = search(call_handler, now, "Astrid", "Muller", D(2011, 10, 11),
                   address="58 Harbour Way, Bodmin")
    assert child in [c.child for c in found] and not strong_for(found, child)


def test_the_only_child_of_a_name_born_a_digit_apart_at_another_address_is_strong(
        record, call_handler, now):
    # ADR 54: children move placements. With no other Astrid Muller in the force, a namesake
    # born within a digit of her is unlikely (1 x 30 dates x 3 for the new address / 3,650).
    child = record("Astrid", "Muller", D(2011, 10, 10), address=HOME)
    found = search(call_handler, now, "Astrid", "Muller", D(2011, 10, 11),
                   address="58 Harbour Way, Bodmin")
    assert strong_for(found, child)
    (candidate,) = [c for c in found if c.child == child]
    texts = [r.text for r in candidate.reasons]
    assert "Address differs" in texts
    assert not any("a namesake, not the same child?" in t for t in texts)
    assert any("A name few children of the force have (1)" in t for t in texts)


# --- ADR 54: the given name, the date of birth and the sex make up for a change of surname ------

def _lucys(call_handler, force, now, n, *, step=29):
    """n more girls called Lucy in the force, born `step` days apart from 1 June 2009."""
    from mispers.matching.services import children_bulk_load

    children_bulk_load(actor=call_handler, now=now, force=force, details=[
        ChildDetails(given_name="Lucy", family_name=f"Family{i}",
                     date_of_birth=D(2009, 6, 1) + dt.timedelta(days=step * i), sex="female")
        for i in range(n)])


def test_a_change_of_surname_with_a_fairly_common_given_name_is_strong(record, call_handler,
                                                                      force, now):
    from mispers.matching.intake import strong_candidates

    # 41 Lucys (one child in 180 of a force of 7,000): another Lucy born on 4 April 2009 by
    # chance is unlikely (41 in 3,650). Recorded under her mother's surname, reported again
    # under her step-father's, no address: the check stops a second record.
    child = record("Lucy", "Lyons", D(2009, 4, 4), sex="female")
    _lucys(call_handler, force, now, 40)
    again = ChildDetails(given_name="Lucy", family_name="Oakley", date_of_birth=D(2009, 4, 4),
                         sex="female")
    found = strong_candidates(user=call_handler, details=again, today=now.date())
    assert [c.child for c in found] == [child]
    texts = [r.text for r in found[0].agreed]
    assert ("Same given name, date of birth and sex; surname differs (a change of surname?). "
            "41 children of the force have this given name: another born that day by chance "
            "is unlikely (about 1 in 89)") in texts
    assert "Family name differs (Oakley / Lyons)" in [r.text for r in found[0].differed]


def test_a_common_given_name_with_a_new_surname_and_a_date_a_digit_out_is_not_strong(
        record, call_handler, force, now):
    from mispers.matching.intake import strong_candidates

    # A namesake of a common given name, born five days apart: another Lucy, not the same child.
    child = record("Lucy", "Lyons", D(2009, 4, 4), sex="female")
    _lucys(call_handler, force, now, 40)
    again = ChildDetails(given_name="Lucy", family_name="Oakley", date_of_birth=D(2009, 4, 9),
                         sex="female")
    assert not strong_candidates(user=call_handler, details=again, today=now.date())
    # And with the family name the same but another date altogether: a namesake.
    namesake = ChildDetails(given_name="Lucy", family_name="Lyons", date_of_birth=D(2012, 9, 21),
                            sex="female")
    assert not strong_candidates(user=call_handler, details=namesake, today=now.date())
    assert child in [c.child for c in search(call_handler, now, "Lucy", "Lyons",
                                             D(2012, 9, 21))]


def test_a_twin_is_not_strong_even_when_the_given_name_counts_are_low(record, call_handler, now):
    from mispers.matching.intake import strong_candidates

    # Rare given names, the same family name, date of birth, sex and address: twin brothers.
    record("Kayode", "Adeyemi", D(2012, 5, 17), address=HOME, sex="male")
    twin = ChildDetails(given_name="Babatunde", family_name="Adeyemi",
                        date_of_birth=D(2012, 5, 17), sex="male", placement_address=HOME)
    assert not strong_candidates(user=call_handler, details=twin, today=now.date())
    # Nor without the address, nor under a new surname.
    for family, address in (("Adeyemi", ""), ("Hartley", ""), ("Hartley", HOME)):
        twin = ChildDetails(given_name="Babatunde", family_name=family,
                            date_of_birth=D(2012, 5, 17), sex="male", placement_address=address)
        assert not strong_candidates(user=call_handler, details=twin, today=now.date())


def test_a_change_of_surname_at_the_same_address_with_an_age_only_is_strong(record, call_handler,
                                                                           now):
    # ADR 54: an age that fits, the same given name and the same placement; only a sibling
    # (another given name) is there besides.
    child = record("Kate", "Cooke", D(2015, 6, 13), address=HOME)
    sibling = record("Erin", "Cooke", D(2013, 2, 2), address=HOME)
    found = intake_candidates(user=call_handler, query=IntakeQuery(
        given_name="Kate", family_name="Madden", age=11, age_on=D(2026, 11, 1),
        address="20 church rd, exeter"), limit=5)
    assert strong_for(found, child) and not strong_for(found, sibling)
    (candidate,) = [c for c in found if c.child == child]
    assert ("Same given name, an age that fits and the same address with another family name: "
            "a change of surname?") in [r.text for r in candidate.agreed]
    # Without the address, an age only is a year of birthdays: a candidate, not strong.
    found = intake_candidates(user=call_handler, query=IntakeQuery(
        given_name="Kate", family_name="Madden", age=11, age_on=D(2026, 11, 1)), limit=5)
    assert child in [c.child for c in found] and not strong_for(found, child)


def test_the_strong_check_fires_for_few_genuinely_new_children(call_handler, force, now):
    """The guard on the rarity rules (ADR 53, 54): 2,000 synthetic children in households
    (twins, siblings, names of several communities with their long tails), then 400 other
    children of the same kind, none of them recorded, each checked as a new child. The check
    may fire only for a chance namesake: for at most 1% of them (issue 11's target)."""
    from mispers.matching.intake import strong_candidates
    from mispers.matching.services import children_bulk_load
    from mispers.synth.households import people

    today = now.date()
    children_bulk_load(actor=call_handler, now=now, force=force,
                       details=[p.details for p in people(seed=3, n=2000, today=today)])
    newcomers = people(seed=4, n=400, today=today)
    fired = [p.details for p in newcomers
             if strong_candidates(user=call_handler, details=p.details, today=today)]
    assert len(fired) <= 4, [f"{d.given_name} {d.family_name} {d.date_of_birth}" for d in fired]


def test_the_same_name_at_the_same_address_with_an_age_a_year_out_is_strong(record, call_handler,
                                                                           now):
    # Two slips in the date: an age given instead, and a year out. At one address the other
    # children are brothers and sisters with other names.
    child = record("Harjit", "Akhtar", D(2018, 1, 6), address=HOME, sex="male")
    found = intake_candidates(user=call_handler, query=IntakeQuery(
        given_name="Harjit", family_name="Akhtar", age=9, age_on=D(2026, 11, 1),
        address="20 church rd, exeter"), limit=5)
    assert strong_for(found, child)
    # Without the address it stays a candidate, not a strong match.
    found = intake_candidates(user=call_handler, query=IntakeQuery(
        given_name="Harjit", family_name="Akhtar", age=9, age_on=D(2026, 11, 1)), limit=5)
    assert child in [c.child for c in found] and not strong_for(found, child)


def test_a_typo_and_a_date_one_digit_out_are_strong_only_for_a_name_no_other_child_has(
        record, call_handler, force, now):
    from mispers.matching.services import children_bulk_load

    child = record("Aurelia", "Pawlowski", D(2016, 5, 27))
    found = search(call_handler, now, "Aaurelia", "Pawlowski", D(2016, 5, 29))
    assert strong_for(found, child)
    # A second Aurelia Pawlowski in the force: the slips could as well be hers.
    children_bulk_load(actor=call_handler, now=now, force=force, details=[ChildDetails(
        given_name="Aurelia", family_name="Pawlowski", date_of_birth=D(2012, 2, 3),
        sex="female")])
    found = search(call_handler, now, "Aaurelia", "Pawlowski", D(2016, 5, 29))
    assert child in [c.child for c in found] and not strong_for(found, child)


# --- ADR 56: two date slips for a name no other child has; names that only look alike ---------

def test_a_date_written_with_two_slips_is_strong_only_for_a_name_no_other_child_has(
        record, call_handler, force, now):
    from mispers.matching.services import children_bulk_load

    child = record("Wiktoria", "Grabowska", D(2013, 4, 9))
    # Day and month swapped and a year out: 9 April 2013 written as 4 September 2014.
    found = search(call_handler, now, "Wiktoria", "Grabowska", D(2014, 9, 4))
    assert strong_for(found, child)
    (candidate,) = [c for c in found if c.child == child]
    assert any(r.text.startswith("Date of birth two slips apart") for r in candidate.agreed)
    # A second Wiktoria Grabowska in the force: the slips could as well be hers.
    children_bulk_load(actor=call_handler, now=now, force=force, details=[ChildDetails(
        given_name="Wiktoria", family_name="Grabowska", date_of_birth=D(2010, 12, 1),
        sex="female")])
    found = search(call_handler, now, "Wiktoria", "Grabowska", D(2014, 9, 4))
    assert child in [c.child for c in found] and not strong_for(found, child)


def test_twins_whose_given_names_look_alike_are_not_strong(record, call_handler, now):
    # Twin brothers named alike, more than one slip apart: the twin, not the same child.
    record("Oluwatobi", "Osuntokun", D(2015, 5, 2), address=HOME, sex="male")
    twin = record("Oluwasanmi", "Osuntokun", D(2015, 5, 2), address=HOME, sex="male")
    found = search(call_handler, now, "Oluwatobi", "Osuntokun", D(2015, 5, 2), address=HOME)
    assert not strong_for(found, twin)
    (candidate,) = [c for c in found if c.child == twin]
    assert "Given name looks alike (Oluwatobi / Oluwasanmi)" in [r.text for r in candidate.agreed]
    # One slip of the keyboard is still the same child.
    found = search(call_handler, now, "Oluwasanmu", "Osuntokun", D(2015, 5, 2), address=HOME)
    assert strong_for(found, twin)


def test_a_new_surname_needs_more_than_a_given_name_that_looks_alike(record, call_handler, now):
    from mispers.matching.intake import strong_candidates

    child = record("Norbert", "Krakowczyk", D(2013, 4, 11), sex="male")
    # A rare given name, the same date and sex: a change of surname if the name is the same...
    again = ChildDetails(given_name="Norbert", family_name="Brown", date_of_birth=D(2013, 4, 11),
                         sex="male")
    assert [c.child for c in strong_candidates(user=call_handler, details=again,
                                               today=now.date())] == [child]
    # ...not for Robert, who only looks like him.
    robert = ChildDetails(given_name="Robert", family_name="Brown", date_of_birth=D(2013, 4, 11),
                          sex="male")
    assert not strong_candidates(user=call_handler, details=robert, today=now.date())


def test_a_new_surname_with_one_of_several_given_names_is_not_strong(record, call_handler, now):
    from mispers.matching.intake import strong_candidates

    # Another child whose middle name is this child's first name, born the same day.
    record("Claire Melissa", "de Burca", D(2012, 4, 2))
    melissa = ChildDetails(given_name="Melissa", family_name="Hartley",
                           date_of_birth=D(2012, 4, 2), sex="female")
    assert not strong_candidates(user=call_handler, details=melissa, today=now.date())

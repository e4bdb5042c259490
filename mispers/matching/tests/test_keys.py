"""The pure rules: normalised names, phonetic keys, nicknames, dates of birth, addresses."""

import datetime as dt

import pytest

from mispers.matching.keys import (
    DobMatch,
    address_key,
    are_nicknames,
    compare_dob,
    formal_names,
    given_keys,
    identity_rows,
    normalise_name,
    phonetic_key,
    swapped,
)

D = dt.date


@pytest.mark.parametrize("raw, norm", [
    ("  ZOË  O'Brien ", "zoe obrien"), ("Smith-Jones", "smith jones"), ("José", "jose"),
    ("MACDONALD", "macdonald"), ("", ""),
])
def test_names_are_normalised(raw, norm):
    assert normalise_name(raw) == norm


@pytest.mark.parametrize("a, b", [
    ("Smith", "Smyth"), ("Catherine", "Kathryn"), ("Katherine", "Catherine"),
    ("Mohammed", "Muhammad"), ("Stephen", "Steven"), ("Chowdhury", "Choudhury"),
    ("Hussain", "Hussein"), ("Kayleigh", "Kayley"), ("Phillips", "Philips"),
])
def test_respellings_share_a_phonetic_key(a, b):
    assert phonetic_key(a) == phonetic_key(b) != ""


def test_different_names_have_different_keys():
    assert phonetic_key("Smith") != phonetic_key("Jones")


def test_nickname_table_is_our_data_file():
    assert "robert" in formal_names("Bob")
    assert "elizabeth" in formal_names("liz")
    assert {"katherine", "catherine"} <= formal_names("Kat")
    assert "james" in formal_names("Jamie")
    assert formal_names("Robert") == frozenset()


def test_nicknames_meet_through_their_formal_name():
    assert are_nicknames("bob", "robert")
    assert are_nicknames("jim", "jamie")         # both James
    assert not are_nicknames("robert", "robert")  # the same name is not a nickname
    assert not are_nicknames("bob", "james")


def test_given_keys_include_the_formal_names_key():
    assert phonetic_key("James") in given_keys("Jamie")


@pytest.mark.parametrize("searched, recorded, match", [
    (D(2011, 5, 3), D(2011, 5, 3), DobMatch.EXACT),
    (D(2011, 3, 5), D(2011, 5, 3), DobMatch.SWAPPED),
    (D(2012, 5, 3), D(2011, 5, 3), DobMatch.YEAR_OFF_BY_ONE),
    (D(2011, 5, 8), D(2011, 5, 3), DobMatch.ONE_DIGIT),
    (D(2017, 5, 3), D(2011, 5, 3), DobMatch.ONE_DIGIT),
    (D(2012, 3, 5), D(2011, 5, 3), DobMatch.TWO_SLIPS),    # swapped and a year out
    (D(2012, 5, 8), D(2011, 5, 3), DobMatch.TWO_SLIPS),    # a year out and one digit
    (D(2011, 3, 7), D(2011, 5, 3), DobMatch.TWO_SLIPS),    # swapped and one digit
    (D(2013, 3, 7), D(2011, 5, 3), DobMatch.DIFFERENT),    # three slips
    (D(2011, 5, 28), D(2011, 5, 3), DobMatch.DIFFERENT),   # two digits
    (D(2009, 11, 23), D(2011, 5, 3), DobMatch.DIFFERENT),
])
def test_dates_of_birth(searched, recorded, match):
    assert compare_dob(query_dob=searched, query_years=None, dob=recorded, years=None) == match


def test_an_age_fits_a_year_of_birth():
    # Aged 14 on 14 March 2026: born in 2011 or 2012.
    years = (2011, 2012)
    assert compare_dob(query_dob=None, query_years=years, dob=D(2011, 5, 3),
                       years=None) == DobMatch.AGE_FITS
    assert compare_dob(query_dob=None, query_years=years, dob=D(2010, 5, 3),
                       years=None) == DobMatch.AGE_CLOSE
    assert compare_dob(query_dob=None, query_years=years, dob=D(2005, 5, 3),
                       years=None) == DobMatch.DIFFERENT
    assert compare_dob(query_dob=None, query_years=None, dob=D(2005, 5, 3),
                       years=None) == DobMatch.UNKNOWN


def test_swapped_only_when_it_is_another_real_date():
    assert swapped(D(2011, 5, 3)) == D(2011, 3, 5)
    assert swapped(D(2011, 5, 13)) is None
    assert swapped(D(2011, 5, 5)) is None


@pytest.mark.parametrize("a, b", [
    ("Oakfield House, 12 Station Road, Plymouth", "12 station rd, plymouth"),
    ("Flat 2, 7 Mill St., Truro", "7 Mill Street, Truro"),
    ("1 Example Row, PL1 2AB", "PL12AB"),
])
def test_addresses_recorded_differently_share_a_key(a, b):
    assert address_key(a) == address_key(b) != ""


def test_different_addresses_have_different_keys():
    assert address_key("12 Station Road, Plymouth") != address_key("14 Station Road, Plymouth")
    assert address_key("") == ""


def test_identity_rows_cover_name_aliases_and_formal_names():
    rows = identity_rows(given_name="Jamie", family_name="Smith-Jones",
                         aliases=(("Jay", ""), ("", "Brown")), date_of_birth=None,
                         estimated_age=14, estimated_age_on=D(2026, 3, 14),
                         home_address="12 Station Road, Plymouth", placement_address="")
    kinds = [(r["kind"], r["given_norm"], r["family_norm"]) for r in rows]
    assert ("name", "jamie", "smith jones") in kinds
    assert ("formal", "jamie", "smith jones") in kinds  # filed under James's key too
    assert ("alias", "jay", "smith jones") in kinds      # an alias's blank half is the child's
    assert ("alias", "jamie", "brown") in kinds
    assert {r["birth_year"] for r in rows} == {2012} and rows[0]["birth_date"] is None
    assert rows[0]["home_key"] == "12 station plymouth"


def test_rebuild_command_restores_lost_keys(force, call_handler, now, child_details):
    from io import StringIO

    from django.core.management import call_command

    from mispers.casework.children import child_create
    from mispers.matching.models import IdentityKey

    child = child_create(actor=call_handler, now=now, force=force, details=child_details(
        given_name="Jamie", family_name="Trewin", aliases=(("Jay", ""),)))
    count = IdentityKey.objects.filter(child=child).count()
    assert count == 6  # Jamie (and as James, Jamila), Jay (and as James, Jason)
    IdentityKey.objects.all().delete()
    out = StringIO()
    call_command("matching_keys", "--rebuild", "--force", force.code, stdout=out)
    assert IdentityKey.objects.filter(child=child).count() == count
    assert '"rows": ' in out.getvalue()


def test_a_rare_given_name_makes_up_for_a_new_family_name_only_while_chance_is_unlikely():
    from mispers.matching.keys import DobMatch
    from mispers.matching.scoring import Situation, rare_given_name_is_enough

    new_surname = Situation(how=("straight", "differs", "same"), match=DobMatch.EXACT,
                            address=0, moved=False)
    # ADR 54: a chance of at most 3% (109 / 3650 = 0.0299; 110 / 3650 = 0.0301).
    assert rare_given_name_is_enough(new_surname, given_count=1)
    assert rare_given_name_is_enough(new_surname, given_count=109)
    assert not rare_given_name_is_enough(new_surname, given_count=110)
    # A slip in the date or a close spelling widens the net: fewer namesakes are allowed.
    year = Situation(how=("straight", "differs", "same"), match=DobMatch.YEAR_OFF_BY_ONE,
                     address=0, moved=False)
    assert rare_given_name_is_enough(year, given_count=36)
    assert not rare_given_name_is_enough(year, given_count=37)
    close = Situation(how=("straight", "differs", "close"), match=DobMatch.EXACT, address=0,
                      moved=False)
    assert rare_given_name_is_enough(close, given_count=36)
    assert not rare_given_name_is_enough(close, given_count=37)
    # Never with the same family name (nothing to make up for), a different address, an age
    # only, a date one digit out or a given name that differs.
    for how, match, moved in [
            (("straight", "same", "same"), DobMatch.EXACT, False),
            (("straight", "differs", "same"), DobMatch.EXACT, True),
            (("straight", "differs", "same"), DobMatch.AGE_FITS, False),
            (("straight", "differs", "same"), DobMatch.ONE_DIGIT, False),
            (("straight", "differs", "differs"), DobMatch.EXACT, False),
            (("swapped",), DobMatch.EXACT, False)]:
        assert not rare_given_name_is_enough(
            Situation(how=how, match=match, address=0, moved=moved), given_count=1)


def test_both_names_rare_make_up_for_a_second_slip_only_while_chance_is_unlikely():
    from mispers.matching.keys import DobMatch
    from mispers.matching.scoring import Situation, rare_name_is_enough

    def situation(family, given, match, moved=False):
        return Situation(how=("straight", family, given), match=match, address=0, moved=moved)

    # A typo in the given name and a date one digit out: only a name held by one child.
    typo_and_digit = situation("same", "close", DobMatch.ONE_DIGIT)
    assert rare_name_is_enough(typo_and_digit, name_count=1)
    assert not rare_name_is_enough(typo_and_digit, name_count=2)
    # A year out with the same names: a name a few children share is still unlikely by chance.
    assert rare_name_is_enough(situation("same", "same", DobMatch.YEAR_OFF_BY_ONE),
                               name_count=30)
    # An age only takes in a year of birthdays: never by the name alone.
    assert not rare_name_is_enough(situation("same", "same", DobMatch.AGE_FITS), name_count=1)
    # A different address counts like a loose name (ADR 54): with a date one digit out, only a
    # name no other child of the force has.
    moved = situation("same", "same", DobMatch.ONE_DIGIT, moved=True)
    assert rare_name_is_enough(moved, name_count=1)
    assert not rare_name_is_enough(moved, name_count=2)
    assert not rare_name_is_enough(situation("same", "close", DobMatch.ONE_DIGIT, moved=True),
                                   name_count=1)
    # Not with a name that differs, or a date that differs.
    assert not rare_name_is_enough(situation("differs", "same", DobMatch.ONE_DIGIT),
                                   name_count=1)
    assert not rare_name_is_enough(situation("same", "same", DobMatch.DIFFERENT), name_count=1)


def test_a_name_particle_is_not_a_shared_part_of_two_family_names():
    from mispers.matching.scoring import RecordFacts, score, search_facts

    search = search_facts(given_norm="declan", family_norm="o conchuir",
                          dob=dt.date(2014, 8, 12), years=None, address_key="")
    record = RecordFacts(kind="name", given="declan", family="o baoighill", given_key="",
                         family_key="", birth_date=dt.date(2014, 8, 12), birth_year=2014,
                         home_key="", placement_key="")
    _, reasons = score(search, record)
    assert any("Family name differs" in r.text for r in reasons)
    record = RecordFacts(kind="name", given="declan", family="smith jones", given_key="",
                         family_key="", birth_date=dt.date(2014, 8, 12), birth_year=2014,
                         home_key="", placement_key="")
    _, reasons = score(search_facts(given_norm="declan", family_norm="jones",
                                    dob=dt.date(2014, 8, 12), years=None, address_key=""),
                       record)
    assert any("double-barrelled" in r.text for r in reasons)

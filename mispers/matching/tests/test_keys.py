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

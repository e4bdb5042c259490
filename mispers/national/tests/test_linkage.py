"""Cross-force linkage (issue 13, ADR 46): the same child sent by two forces becomes one national
person, each link explained comparison by comparison; the national tables then count her once;
the national unit's decisions on a pair stand when the linkage runs again."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from mispers.exchange.tests.conftest import export
from mispers.national.linkage import hub_link
from mispers.national.models import NationalPair, NationalPerson
from mispers.national.services import hub_import
from mispers.national.tables import ENGLAND_AND_WALES, Year, national_tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_forces(force, history, tmp_path, now):
    """The history's children sent by the demo force, and again by Kent (the same records, as
    if the children had gone missing there too)."""
    full, _ = export(force, tmp_path)
    lines = Path(full).read_text().splitlines()
    kent = tmp_path / "kent.jsonl"
    kent.write_text("\n".join([json.dumps(json.loads(lines[0]) | {"force": "kent"}),
                               *lines[1:]]) + "\n")
    for path in (Path(full), kent):
        assert hub_import(actor=None, now=now, path=path).status == "loaded"
    return history


def person(force_code, child):
    return NationalPerson.objects.get(key=f"{force_code}:{child.pk}").person_id


def test_the_same_child_in_two_forces_is_one_person(two_forces, force, now):
    run = hub_link(actor=None, now=now)
    for name in ("amira", "zara"):
        child = two_forces[name].child
        assert person(force.pk, child) == person("kent", child)
    assert person(force.pk, two_forces["zara"].child) != person(force.pk,
                                                                 two_forces["amira"].child)
    assert run.records == 6 and run.people <= 3
    pair = NationalPair.objects.get(a_key__in=[f"{f}:{two_forces['zara'].child.pk}"
                                               for f in (force.pk, "kent")],
                                    b_key__in=[f"{f}:{two_forces['zara'].child.pk}"
                                               for f in (force.pk, "kent")])
    assert pair.status == "linked" and pair.match_probability >= 0.9
    fields = {entry["field"] for entry in pair.explanation}
    assert {"given_name", "family_name", "date_of_birth", "sex"} <= fields
    assert all("weight" in entry and "label" in entry for entry in pair.explanation)
    tables = national_tables(year=Year.parse("2025-26"))
    counted = tables.incidents[ENGLAND_AND_WALES]
    assert counted["individuals"] == 6 and counted["individuals_linked"] == run.people


def test_a_rejected_pair_stays_rejected_when_the_linkage_runs_again(two_forces, force, now,
                                                                    make_user):
    hub_link(actor=None, now=now)
    zara = two_forces["zara"].child
    pair = NationalPair.objects.get(a_key__endswith=str(zara.pk), b_key__endswith=str(zara.pk))
    NationalPair.objects.filter(pk=pair.pk).update(status="rejected", note="Checked: two girls")
    again = hub_link(actor=None, now=now)
    kept = NationalPair.objects.get(run=again, a_key=pair.a_key, b_key=pair.b_key)
    assert kept.status == "rejected" and kept.note == "Checked: two girls"
    assert person(force.pk, zara) != person("kent", zara)


def test_the_command_says_what_it_found(two_forces):
    out = io.StringIO()
    call_command("hub", "link", stdout=out)
    assert "Linkage (duckdb): 6 child records" in out.getvalue()
    with pytest.raises(Exception, match="The engine is one of duckdb"):
        call_command("hub", "link", "--engine", "abacus", stdout=io.StringIO())


def test_a_record_with_only_an_age_does_not_chain_two_children_into_one_person():
    """ADR 46: "Niamh Wilson, about 15" links well to two Niamh Wilsons born months apart; the
    stronger link stands and the weaker one does not make the two one person. A force's merge
    (or the national unit's confirmation) joins whatever the dates say."""
    import datetime as dt

    from mispers.national.linkage import _clusters

    births = {"humberside:age": None, "sussex:nov": dt.date(2009, 11, 12),
              "devon:jul": dt.date(2009, 7, 17), "devon:slip": dt.date(2009, 11, 13)}
    births = {k: v for k, v in births.items() if v}
    keys = ["humberside:age", "sussex:nov", "devon:jul", "devon:slip"]
    ids = _clusters(keys, [], [("humberside:age", "sussex:nov"),
                               ("devon:jul", "humberside:age"),
                               ("devon:slip", "sussex:nov")], births)
    assert ids["humberside:age"] == ids["sussex:nov"] == ids["devon:slip"]  # one digit apart
    assert ids["devon:jul"] != ids["sussex:nov"]
    decided = _clusters(keys, [("devon:jul", "humberside:age")],
                        [("humberside:age", "sussex:nov")], births)
    assert decided["devon:jul"] == decided["humberside:age"] != decided["sussex:nov"]

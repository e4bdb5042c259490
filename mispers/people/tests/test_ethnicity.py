"""Issue 11: ethnicity as the child describes it (the 2021 census categories, or not stated)
and, separately, as the officer observed it; no default on the form; old records migrated."""

import pytest
from django.urls import reverse

from mispers.episodes.models import Episode
from mispers.people.models import Child, Ethnicity, ethnic_group

pytestmark = pytest.mark.django_db

NEW_CHILD = {
    "new": "1", "child-given_name": "Jordan", "child-family_name": "Census",
    "child-date_of_birth": "2012-02-03", "child-sex": "male",
    "report-reported_at": "2026-03-14T10:00", "report-reported_by_name": "Parent One",
    "report-last_seen_at": "2026-03-14T07:30", "report-last_seen_where": "School gates",
    "report-missing_from": "home",
}


def test_there_is_no_default_and_the_message_says_what_to_do(client, call_handler):
    client.force_login(call_handler)
    form = client.get(reverse("episodes:report"), {"new": "1"}).content.decode()
    select = form[form.index('name="child-ethnicity"'):]
    select = select[:select.index("</select>")]
    assert select.count("selected") == 1 and 'value="" selected>Choose<' in select  # no default
    assert '<optgroup label="Asian or Asian British">' in select and "Roma" in select
    refused = client.post(reverse("episodes:report"), NEW_CHILD).content.decode()
    assert "Choose the child&#x27;s self-defined ethnicity, or Not stated" in refused
    assert "Choose the ethnicity you observed, or Not recorded" in refused
    assert not Episode.objects.exists()


def test_both_are_recorded_and_shown(client, call_handler):
    client.force_login(call_handler)
    done = client.post(reverse("episodes:report"), {
        **NEW_CHILD, "child-ethnicity": "white_gypsy_traveller",
        "child-observed_ethnicity": "white"})
    assert done.status_code == 302
    child = Child.objects.get(family_name="Census")
    assert (child.ethnicity, child.observed_ethnicity) == ("white_gypsy_traveller", "white")
    page = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert "White: Gypsy or Irish Traveller" in page and "Ethnicity (officer observed)" in page


def test_the_census_has_nineteen_categories_in_five_groups():
    codes = [code for code in Ethnicity.values if code != Ethnicity.NOT_STATED]
    assert len(codes) == 19
    assert {ethnic_group(code) for code in codes} == {"asian", "black", "mixed", "white",
                                                       "other"}


def test_old_records_migrate_to_their_groups_other_category(call_handler, now, force,
                                                            child_details):
    import importlib

    from django.apps import apps

    from mispers.casework.children import child_create

    migration = importlib.import_module("mispers.people.migrations.0003_census_ethnicity")
    olds = {}
    for old in ("white", "asian", "not_stated"):
        child = child_create(actor=call_handler, now=now, force=force,
                             details=child_details(given_name=f"Old{old.title()}"))
        Child.objects.filter(pk=child.pk).update(ethnicity=old)  # as stored before
        olds[old] = child.pk
    migration.forwards(apps, None)
    now_stored = dict(Child.objects.filter(pk__in=olds.values()).values_list("pk", "ethnicity"))
    assert {old: now_stored[pk] for old, pk in olds.items()} == {
        "white": "white_other", "asian": "asian_other", "not_stated": "not_stated"}
    assert migration.MODELS == ("Child",)  # the history is evidence: never rewritten

"""Reviewing a pair the linkage could not settle (issue 13, ADR 46): the pair's page shows both
records and the weight of each comparison (and logs that two children were shown); a decision
needs a reason, links or separates the records at once, and stands when the linkage runs
again."""

import pytest
from django.urls import reverse

from mispers.accounts.models import AccessLog
from mispers.national.linkage import hub_link
from mispers.national.models import NationalPair, NationalPerson
from mispers.national.services import hub_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(make_user):
    return make_user(force=None, roles=["national_unit"], username="nmpu")


def zara_pair(history):
    zara = str(history["zara"].child.pk)
    return NationalPair.objects.get(a_key__endswith=zara, b_key__endswith=zara)


def test_the_unit_reviews_and_links_the_uncertain_pair(client, national, sent, history, now):
    for path in sent:
        hub_import(actor=None, now=now, path=path)
    client.force_login(national)
    answer = client.post(reverse("national:link"))
    assert answer.url == reverse("national:review")
    pair = zara_pair(history)
    assert pair.status == "review" and 0.5 <= pair.match_probability < 0.9
    listed = client.get(answer.url).content.decode()
    assert f'data-pair="{pair.pk}"' in listed
    page = client.get(reverse("national:pair", args=[pair.pk])).content.decode()
    assert "Zara Okafor" in page and "Zara Bell" in page
    assert "Date of birth" in page and "2010-03-02" in page and "2010-02-03" in page
    for entry in pair.explanation:
        assert entry["label"].split(":")[0] in page
    assert AccessLog.objects.filter(user=national, object_type="national_child").count() == 2
    refused = client.post(reverse("national:pair", args=[pair.pk]), {"decision": "same"})
    assert refused.status_code == 400 and "Say why" in refused.content.decode()
    zara = str(history["zara"].child.pk)
    people = dict(NationalPerson.objects.filter(key__endswith=zara)
                  .values_list("key", "person_id"))
    assert len(set(people.values())) == 2          # apart until someone decides
    client.post(reverse("national:pair", args=[pair.pk]), {
        "decision": "same", "note": "Same birthday written the other way round; stepfather"})
    assert len(set(NationalPerson.objects.filter(key__endswith=zara)
                   .values_list("person_id", flat=True))) == 1
    again = hub_link(actor=None, now=now)
    kept = NationalPair.objects.get(run=again, a_key=pair.a_key, b_key=pair.b_key)
    assert kept.status == "confirmed" and kept.decided_by == national
    assert len(set(NationalPerson.objects.filter(key__endswith=zara)
                   .values_list("person_id", flat=True))) == 1

"""`mispers demo` adds partner organisations, one sign-in per partner role, responsibilities
for up to a dozen looked-after children and a few profiles; running it again changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from mispers.accounts.models import User
from mispers.partners.models import PartnerOrganisation, PhilomenaProfile, Responsibility
from mispers.partners.selectors import partner_children
from mispers.synth.demo import DEMO_PASSWORD
from mispers.synth.partners import DEMO_ORGANISATIONS, DEMO_PARTNER_USERS


def _demo() -> str:
    out = StringIO()
    call_command("demo", "--children", "40", "--episodes", "60", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_partners_are_made_once_and_printed():
    first = _demo()
    counts = (PartnerOrganisation.objects.count(), Responsibility.objects.count(),
              PhilomenaProfile.objects.count())
    second = _demo()
    assert (PartnerOrganisation.objects.count(), Responsibility.objects.count(),
            PhilomenaProfile.objects.count()) == counts
    assert counts[0] == len(DEMO_ORGANISATIONS)
    for username, *_rest in DEMO_PARTNER_USERS:
        user = User.objects.get(username=username)
        assert user.force_id is None and user.organisation_id
        assert user.check_password(DEMO_PASSWORD)
        assert f"\n{username} " in first and f"\n{username} " in second
    carer = User.objects.get(username="careworker")
    caseload = partner_children(user=carer, on=Responsibility.objects.first().starts_on)
    assert 1 <= caseload.count() <= 12
    assert all(child.looked_after for child in caseload)
    # A profile for each of the first three children in the home's care (fewer in this small
    # demo when the home looks after fewer).
    assert counts[2] == min(3, caseload.count())
    assert "Partner users: 4 created" in first and "4 already there" in second

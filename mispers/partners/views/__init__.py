"""Partner pages. Every page here is for partner users only (`partner_required`); police users
opening one get 404, as if the partner area did not exist for them (ADR 0010)."""

from django.contrib.auth.decorators import user_passes_test
from django.http import Http404

from mispers.partners.selectors import is_partner


def _check_partner(user):
    if not user.is_authenticated:
        return False  # to the login page
    if not is_partner(user):
        raise Http404("Not found")
    return True


partner_required = user_passes_test(_check_partner)

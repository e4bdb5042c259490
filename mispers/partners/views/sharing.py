"""The information-sharing log: police (coordinator, analysts, supervisors) read their force's,
optionally for one child; a partner administrator reads what was shared with or by their
organisation. Nobody edits it."""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from mispers.core.views import log_view

from ..models import PartnerOrganisation
from ..selectors import is_partner
from ..working_selectors import can_read_sharing_log, sharing_log_page


def _uuid(value: str):
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def sharing_log(request):
    user = request.user
    if not user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if not can_read_sharing_log(user):
        if is_partner(user):
            raise Http404("Not found")  # partner pages answer 404 for what is not theirs
        raise PermissionDenied
    child_id = _uuid(request.GET.get("child", ""))
    # Police only: one partner organisation's rows (linked from its organisation page).
    organisation = None if is_partner(user) else PartnerOrganisation.objects.filter(
        forces=user.force_id, pk=_uuid(request.GET.get("organisation", ""))).first()
    page = sharing_log_page(user=user, child_id=child_id, page=request.GET.get("page"),
                            organisation_id=organisation.pk if organisation else None)
    if child_id and page.object_list:
        log_view(request, object_type="sharing_log", object_id=child_id, child_id=child_id)
    elif page.object_list:  # the log names children
        log_view(request, object_type="sharing_log",
                 object_id=user.organisation_id or user.force_id, child_id=None)
    return render(request, "partners/sharing.html", {
        "page": page, "child_id": child_id, "partner": is_partner(user),
        "organisation": organisation,
        "child": page.object_list[0].child if child_id and page.object_list else None,
    })

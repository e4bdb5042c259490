"""The information-sharing log: police (coordinator, analysts, supervisors) read their force's,
optionally for one child; a partner administrator reads what was shared with or by their
organisation. Nobody edits it."""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.views import add_domain_error, log_shown, log_view, or_404, police_required
from mispers.episodes.selectors import episode_for

from ..disclosure import RELEASABLE, releasable_value
from ..models import FieldRelease, PartnerOrganisation, SharingRecord
from ..selectors import is_partner
from ..services.sharing import field_release, may_release, release_recipients
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
    organisation = None if is_partner(user) else (
        PartnerOrganisation.objects.working_with(user.force_id)
        .filter(pk=_uuid(request.GET.get("organisation", ""))).first())
    page = sharing_log_page(user=user, child_id=child_id, page=request.GET.get("page"),
                            organisation_id=organisation.pk if organisation else None)
    # The log names children: one access-log row for each record of a child on the page.
    log_shown(request, page.object_list, object_type="sharing_record")
    if not is_partner(user):
        _with_release_reasons(page.object_list)
    return render(request, "partners/sharing.html", {
        "page": page, "child_id": child_id, "partner": is_partner(user),
        "organisation": organisation,
        "child": page.object_list[0].child if child_id and page.object_list else None,
    })


def _with_release_reasons(rows) -> None:
    """Police read why a field was released beside its sharing-log rows (partners never do)."""
    through = FieldRelease.sharing_records.through
    reasons = dict(through.objects.filter(sharingrecord_id__in=[r.pk for r in rows])
                   .values_list("sharingrecord_id", "fieldrelease__reason"))
    for row in rows:
        row.release_reason = reasons.get(row.pk, "")


# --- police: release a police-only field of an episode to partners (ADR 0015) -------------------

class ReleaseForm(forms.Form):
    field = forms.ChoiceField(label="Which field?", widget=forms.RadioSelect,
                              error_messages={"required": "Choose the field to release"})
    basis = forms.ChoiceField(label="Basis for sharing", choices=SharingRecord.Basis.choices,
                              widget=forms.RadioSelect,
                              error_messages={"required": "Choose the basis for sharing"})
    reason = forms.CharField(
        label="Why do the partners need it?", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the information-sharing log for police; partners see the field, "
                  "its text and the basis, not this reason.",
        error_messages={"required": "Say why the partners need it"})

    def __init__(self, *args, episode, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [
            (name, f"{spec.label}: "
                   f"{releasable_value(episode=episode, field=name) or '(nothing recorded)'}")
            for name, spec in RELEASABLE.items()]


@police_required
def field_release_view(request, pk):
    episode = or_404(episode_for, user=request.user, episode_id=pk)
    if not may_release(user=request.user, episode=episode):
        raise PermissionDenied
    log_view(request, object_type="episode", object_id=episode.pk, child_id=episode.child_id)
    form = ReleaseForm(request.POST or None, episode=episode)
    if request.method == "POST" and form.is_valid():
        try:
            release = field_release(actor=request.user, now=now(), episode=episode,
                                    **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            names = ", ".join(o.name for o in release.organisations.all())
            messages.success(request, f"{RELEASABLE[release.field].label} released to {names} "
                                      "and written to the information-sharing log.")
            return redirect("episodes:detail", pk=episode.pk)
    return render(request, "partners/release_form.html", {
        "episode": episode, "child": episode.child, "form": form,
        "recipients": release_recipients(episode=episode),
        "released": police_releases(episode=episode),
    })


def police_releases(*, episode) -> list:
    """Every release of the episode's fields, newest first, with the reason (police only)."""
    releases = list(FieldRelease.objects.filter(episode=episode)
                    .select_related("released_by").prefetch_related("organisations"))
    for release in releases:
        release.label = RELEASABLE[release.field].label if release.field in RELEASABLE else (
            release.field)
    return releases

"""The Philomena profile page (part 1) and the photo, served only to those who may see it."""

from dataclasses import fields

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.views import add_domain_error, log_view, or_404

from .. import services
from ..forms import ProfileForm
from ..selectors import (
    latest_profile_for_partner,
    partner_access,
    partner_child_for,
    photo_profile_for,
)
from ..services.profiles import ProfileDetails
from . import partner_required

DETAIL_FIELDS = [f.name for f in fields(ProfileDetails)]


@partner_required
def profile_edit(request, pk):
    current = now()
    today = current.date()
    child = or_404(partner_child_for, user=request.user, child_id=pk, on=today)
    if partner_access(user=request.user, child=child, on=today) != "current":
        raise Http404("Child not found")  # a former home: nothing to keep any more
    if not services.may_keep_profile(user=request.user, child=child, on=today):
        # A return-interview worker (or an interview provider): may see it, not keep it.
        raise PermissionDenied
    shown = latest_profile_for_partner(user=request.user, child=child, on=today)
    initial = {name: getattr(shown, name) for name in DETAIL_FIELDS} if shown else {}
    form = ProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if not (shown and shown.photo):
        del form.fields["remove_photo"]  # nothing to remove
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photo = data.pop("photo", None)
        remove_photo = bool(data.pop("remove_photo", False))
        try:
            services.profile_save(actor=request.user, now=current, child=child,
                                  details=ProfileDetails(**data), photo=photo or None,
                                  remove_photo=remove_photo)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Profile saved and marked as reviewed today. Review it "
                                      f"again within {data['review_period_days']} days.")
            return redirect("partners:child", pk=child.pk)
    log_view(request, object_type="child", object_id=child.pk, child_id=child.pk)
    return render(request, "partners/profile_form.html", {
        "child": child, "form": form, "profile": shown,
    })


def photo(request, pk):
    """The profile's photo, for police of the child's force or a partner who may see that
    profile; 404 for anyone else. Never cached by shared caches."""
    current = now()
    profile = or_404(photo_profile_for, user=request.user, profile_id=pk, on=current.date())
    try:
        handle = profile.photo.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("Photo not found") from exc
    log_view(request, object_type="photo", object_id=profile.pk, child_id=profile.child_id)
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response

"""Place pages: find (search as you type with htmx, or a plain GET without JavaScript), record,
correct and merge. Places are the force's data, not a child's record: no child is shown here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from mispers.casework.places import place_merge
from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.views import add_domain_error, next_url, or_404, require

from .details import PlaceDetails
from .forms import PlaceEditForm, PlaceForm, PlaceMergeForm, PlaceSearchForm
from .permissions import can_edit_place, can_use_places
from .picker import place_label
from .selectors import place_for, place_search, place_usage, providers_for
from .services import place_create, place_update

places_required = require(can_use_places)


def _details(data) -> PlaceDetails:
    return PlaceDetails(kind=data["kind"], name=data["name"], address=data["address"],
                        postcode=data["postcode"], latitude=data["latitude"] or None,
                        longitude=data["longitude"] or None,
                        provider_id=data["provider"] or None,
                        registration_number=data["registration_number"])


@places_required
def index(request):
    form = PlaceSearchForm(request.GET or None)
    text = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    found = place_search(user=request.user, text=text, kind=kind, limit=50)
    context = {"search": form, "places": found, "text": text,
               "may_edit": can_edit_place(request.user)}
    if request.htmx:  # search as you type: only the results
        return render(request, "places/_results.html", context)
    return render(request, "places/index.html", context)


@places_required
def create(request):
    form = PlaceForm(request.POST or None, providers=providers_for(user=request.user))
    back = next_url(request, "")
    if request.method == "POST" and form.is_valid():
        try:
            place = place_create(actor=request.user, now=now(), details=_details(form.cleaned_data))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{place.name} recorded.")
            if back:
                joiner = "&" if "?" in back else "?"
                return redirect(f"{back}{joiner}place={place.pk}")
            return redirect("places:detail", place.pk)
    return render(request, "places/form.html", {"form": form, "heading": "Record a place",
                                                "button": "Record the place", "next": back})


@places_required
def detail(request, pk):
    place = or_404(place_for, user=request.user, place_id=pk, include_merged=True)
    return render(request, "places/detail.html", {
        "place": place, "usage": place_usage(place=place),
        "may_edit": can_edit_place(request.user, place),
        "merge_form": PlaceMergeForm()})


@places_required
def edit(request, pk):
    place = or_404(place_for, user=request.user, place_id=pk)
    if not can_edit_place(request.user, place):
        raise PermissionDenied
    initial = {"kind": place.kind, "name": place.name, "address": place.address,
               "postcode": place.postcode, "latitude": place.latitude or "",
               "longitude": place.longitude or "", "provider": place.provider_id or "",
               "registration_number": place.registration_number}
    form = PlaceEditForm(request.POST or None, initial=initial,
                         providers=providers_for(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            place_update(actor=request.user, now=now(), place=place,
                         details=_details(form.cleaned_data),
                         reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{place.name} corrected.")
            return redirect("places:detail", place.pk)
    return render(request, "places/form.html", {"form": form, "place": place,
                                                "heading": f"Correct {place.name}",
                                                "button": "Save the correction"})


@places_required
def merge(request, pk):
    keep = or_404(place_for, user=request.user, place_id=pk)
    if not can_edit_place(request.user, keep):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("places:detail", keep.pk)
    form = PlaceMergeForm(request.POST)
    if form.is_valid():
        duplicate = or_404(place_for, user=request.user,
                           place_id=form.cleaned_data["duplicate"])
        try:
            moved = place_merge(actor=request.user, now=now(), keep=keep, duplicate=duplicate,
                                reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            total = sum(moved.values())
            messages.success(request, f"{duplicate.name} merged into {keep.name}: {total} "
                                      f"record{'s' if total != 1 else ''} now point here.")
            return redirect("places:detail", keep.pk)
    return render(request, "places/detail.html", {
        "place": keep, "usage": place_usage(place=keep), "may_edit": True,
        "merge_form": form}, status=400)


@places_required
def suggest(request):
    """The suggestion list of a place picker (htmx): labels of the places matching what was
    typed so far in the picker named by `prefix`."""
    prefix = request.GET.get("prefix", "")
    text = request.GET.get(f"{prefix}-text", "") if prefix.isidentifier() else ""
    found = place_search(user=request.user, text=text, limit=10) if len(text.strip()) >= 2 \
        else []
    return render(request, "places/_suggestions.html",
                  {"labels": [place_label(place) for place in found]})

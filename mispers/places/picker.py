"""Picking a place inside another form (the report, the return): type a few letters, and
either the one place whose name (or "name, postcode") was typed is chosen, or the form asks
which of the places that match, or offers to record what was typed as a new place. Works with
no JavaScript; with it, the browser's own suggestion list (a datalist filled by htmx) completes
the name as you type. Interface code: views and forms use it, services never do."""

from __future__ import annotations

from django import forms

from .details import PlaceDetails
from .models import Place, PlaceKind
from .selectors import place_for, place_search

NEW = "new"


def place_label(place: Place) -> str:
    """What the suggestion list shows and what, typed exactly, chooses the place."""
    return f"{place.name}, {place.postcode}" if place.postcode else place.name


class PlacePickerForm(forms.Form):
    """One place, named by `prefix` ("seen", "from", "found"). `cleaned_data["place"]` is a
    Place, PlaceDetails for a new one, or None when nothing was typed."""

    text = forms.CharField(required=False, max_length=200)
    choice = forms.CharField(required=False, max_length=40)
    new_kind = forms.ChoiceField(required=False, choices=[("", "Choose"), *PlaceKind.choices])

    def __init__(self, *args, user, label: str, hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.label = label
        self.hint = hint
        self.matches: list[Place] = []
        self.fields["text"].label = label

    def clean(self):
        data = super().clean()
        text = " ".join((data.get("text") or "").split())
        choice = data.get("choice") or ""
        data["place"] = None
        if choice and choice != NEW:
            try:
                data["place"] = place_for(user=self.user, place_id=choice)
            except Exception:  # NotFound, or not a UUID: the same answer either way
                self.add_error("text", "That place is no longer on record: choose again")
            return data
        if not text:
            return data
        self.matches = place_search(user=self.user, text=text, limit=8)
        exact = [p for p in self.matches
                 if text.casefold() in (p.name.casefold(), place_label(p).casefold())]
        if choice == NEW:
            if not data.get("new_kind"):
                self.add_error("new_kind", f"Choose what kind of place “{text}” is")
            else:
                data["place"] = PlaceDetails(kind=data["new_kind"], name=text)
        elif len(exact) == 1:
            data["place"] = exact[0]
        elif self.matches:
            self.add_error("text", f"Choose which place you mean by “{text}”, or record it as "
                                   "a new place")
        else:
            self.add_error("text", f"No place called “{text}” is on record: choose its kind "
                                   "to record it as a new place")
        return data

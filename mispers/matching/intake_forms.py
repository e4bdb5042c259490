"""Forms for finding the child at intake, and for confirming that a new child is not one the
force already knows. They check shape only; the rules live in intake.py."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import forms

from mispers.core.forms import GovukDateField

from .intake import MAX_AGE, IntakeQuery

FIND_FIELDS = ("given_name", "family_name", "date_of_birth", "age", "address")


class FindChildForm(forms.Form):
    given_name = forms.CharField(label="Given name", required=False, max_length=100,
                                 help_text="Or the name they are known by")
    family_name = forms.CharField(label="Family name", required=False, max_length=100)
    date_of_birth = GovukDateField(label="Date of birth", required=False)
    age = forms.IntegerField(
        label="Age", required=False, min_value=0, max_value=MAX_AGE,
        help_text="Only if the date of birth is not known",
        error_messages={"min_value": "Age must be 0 or more",
                        "max_value": f"Age must be {MAX_AGE} or under",
                        "invalid": "Age must be a whole number of years, like 14"},
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}))
    address = forms.CharField(label="Home or placement address", required=False,
                              max_length=300)

    @staticmethod
    def submitted(data) -> bool:
        return any(name in data for name in ("given_name", "family_name"))

    def clean(self):
        data = super().clean()
        if not (data.get("given_name", "").strip() or data.get("family_name", "").strip()):
            self.add_error("family_name", "Enter the child's given name or family name")
        return data

    def query(self, *, today: dt.date) -> IntakeQuery:
        data = self.cleaned_data
        return IntakeQuery(given_name=data["given_name"], family_name=data["family_name"],
                           date_of_birth=data["date_of_birth"], age=data["age"], age_on=today,
                           address=data["address"])

    def new_child_link_query(self) -> str:
        """The search, as the query string that pre-fills the new child's details."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        values = {"new": "1"}
        for name in FIND_FIELDS:
            value = data.get(name)
            if value not in (None, ""):
                values[name] = value.isoformat() if isinstance(value, dt.date) else value
        return urlencode(values)


def new_child_initial(params) -> dict:
    """The new child's form, pre-filled from the search that found no known child."""
    initial = {}
    for name, target in (("given_name", "given_name"), ("family_name", "family_name"),
                         ("date_of_birth", "date_of_birth"), ("age", "estimated_age"),
                         ("address", "home_address")):
        value = (params.get(name) or "").strip()
        if value:
            initial[target] = value
    return initial


class ConfirmNewChildForm(forms.Form):
    """Asked only when a strong candidate exists: the user has checked they differ."""

    prefix = "child"
    confirm_new_child = forms.BooleanField(
        required=False, label="I have checked: this is not the same child as the children "
                              "listed above")

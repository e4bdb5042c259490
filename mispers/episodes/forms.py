"""Forms for taking a report. They check shape only; the rules live in the services."""

from django import forms
from django.utils import timezone

from mispers.core.forms import GovukDateField, GovukDateTimeField
from mispers.people.models import Ethnicity, ObservedEthnicity, Sex

from .models import MissingFrom


class ChildSearchForm(forms.Form):
    q = forms.CharField(label="Child's name", required=False, max_length=200,
                        help_text="Search this force's children by name or alias")


def _grouped_ethnicities() -> list:
    """The census categories under their group headings (a select's option groups)."""
    groups: dict = {}
    for code, label in Ethnicity.choices:
        if code == Ethnicity.NOT_STATED:
            continue
        group, _, name = label.partition(": ")
        groups.setdefault(group, []).append((code, name[:1].upper() + name[1:]))
    return [("", "Choose"), *groups.items(), (Ethnicity.NOT_STATED, "Not stated")]


ETHNICITY_CHOICES = _grouped_ethnicities()


class NewChildForm(forms.Form):
    """A child not yet on the system, recorded with the report."""

    prefix = "child"
    given_name = forms.CharField(label="First name", max_length=100)
    family_name = forms.CharField(label="Last name", max_length=100)
    date_of_birth = GovukDateField(label="Date of birth", required=False)
    estimated_age = forms.IntegerField(
        label="Estimated age", required=False, min_value=0, max_value=17,
        help_text="Only if the date of birth is not known",
        error_messages={"min_value": "Estimated age must be 0 or more",
                        "max_value": "Estimated age must be 17 or under: Mispers is for "
                                     "children",
                        "invalid": "Estimated age must be a whole number of years, like 14"},
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}))
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=forms.RadioSelect(
        attrs={"class": "govuk-radios--inline"}))
    # Issue 11: no default (a default of "White" corrupted every later analysis), the census's
    # own categories grouped, and the ethnicity the officer observed recorded separately.
    ethnicity = forms.ChoiceField(
        label="Ethnicity, as the child or their family describe it", choices=ETHNICITY_CHOICES,
        help_text="Ask; if they would rather not say, choose Not stated",
        error_messages={"required": "Choose the child's self-defined ethnicity, or Not stated"})
    observed_ethnicity = forms.ChoiceField(
        label="Ethnicity you observed", choices=[("", "Choose"), *ObservedEthnicity.choices],
        help_text="The officer-defined group, recorded beside the child's own",
        error_messages={"required": "Choose the ethnicity you observed, or Not recorded"})
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(
        attrs={"rows": 3}), help_text="Height, build, hair, distinguishing features")
    looked_after = forms.BooleanField(label="Looked after by a local authority",
                                      required=False)
    local_authority = forms.CharField(label="Local authority", required=False, max_length=120)
    placement_address = forms.CharField(label="Placement address", required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))
    home_address = forms.CharField(label="Home address", required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    alias = forms.CharField(label="Also known as", required=False, max_length=200,
                            help_text="Nickname or other name, if any")


class ReportForm(forms.Form):
    prefix = "report"
    reported_at = GovukDateTimeField(label="When was the report made?", noun="The report time")
    reported_by_name = forms.CharField(label="Name of the person reporting", max_length=200)
    reported_by_relationship = forms.CharField(label="Their relationship to the child",
                                               required=False, max_length=100)
    reported_by_contact = forms.CharField(label="Their contact details", required=False,
                                          max_length=200)
    last_seen_at = GovukDateTimeField(label="When was the child last seen?", noun="Last seen")
    last_seen_where = forms.CharField(label="Where were they last seen?", max_length=300)
    missing_from = forms.ChoiceField(label="Missing from", choices=MissingFrom.choices,
                                     widget=forms.RadioSelect)
    circumstances = forms.CharField(label="Circumstances", required=False,
                                    widget=forms.Textarea(attrs={"rows": 4}))
    clothing = forms.CharField(label="Clothing", required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    possible_whereabouts = forms.CharField(label="Possible whereabouts", required=False,
                                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and now is not None:
            self.initial.setdefault("reported_at", timezone.localtime(now).replace(
                second=0, microsecond=0))

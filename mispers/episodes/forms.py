"""Forms for taking a report. They check shape only; the rules live in the services."""

from django import forms
from django.utils import timezone

from mispers.core.forms import GovukDateTimeField
from mispers.people.forms import ChildRecordForm

from .models import MissingFrom


class ChildSearchForm(forms.Form):
    q = forms.CharField(label="Child's name", required=False, max_length=200,
                        help_text="Search this force's children by name or alias")


class NewChildForm(ChildRecordForm):
    """A child not yet on the system, recorded with the report."""

    prefix = "child"
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

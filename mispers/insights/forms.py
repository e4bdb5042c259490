from django import forms

from mispers.core.forms import GovukDateField


class PeriodForm(forms.Form):
    first = GovukDateField(label="First day", required=False, noun="The first day")
    last = GovukDateField(label="Last day", required=False, noun="The last day")

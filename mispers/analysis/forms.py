from django import forms

PERIODS = [(7, "the last 7 days"), (30, "the last 30 days"), (90, "the last 90 days"),
           (365, "the last 12 months")]


class PeriodForm(forms.Form):
    days = forms.TypedChoiceField(choices=PERIODS, coerce=int, required=False, initial=90)

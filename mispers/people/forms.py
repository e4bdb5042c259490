from django import forms

from mispers.core.forms import GovukDateField

from .models import Marker


class MarkerForm(forms.Form):
    kind = forms.ChoiceField(label="Marker", choices=Marker.Kind.choices)
    active_from = GovukDateField(label="Active from", noun="The start date")
    active_until = GovukDateField(label="Active until", required=False, noun="The end date",
                                  help_text="Leave empty while it applies")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

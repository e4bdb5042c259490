from django import forms

from .models import Marker

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MarkerForm(forms.Form):
    kind = forms.ChoiceField(label="Marker", choices=Marker.Kind.choices)
    active_from = forms.DateField(label="Active from", widget=DATE_WIDGET)
    active_until = forms.DateField(label="Active until", required=False, widget=DATE_WIDGET,
                                   help_text="Leave empty while it applies")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

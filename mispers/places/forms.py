"""Place forms: shape only; the rules (a valid UK postcode, coordinates in the United Kingdom, a
provider only for a children's home) are the service's, whose messages the views show."""

from django import forms

from .models import PlaceKind


class PlaceSearchForm(forms.Form):
    q = forms.CharField(label="Search places", required=False, max_length=100,
                        help_text="Part of the name, address or postcode")
    kind = forms.ChoiceField(label="Kind", required=False,
                             choices=[("", "Any kind"), *PlaceKind.choices])


class PlaceForm(forms.Form):
    kind = forms.ChoiceField(label="What kind of place", choices=[("", "Choose"),
                                                                 *PlaceKind.choices],
                             error_messages={"required": "Choose what kind of place this is"})
    name = forms.CharField(label="Name", max_length=200,
                           error_messages={"required": "Enter the place's name"},
                           help_text="As people call it: Oakfield House, Plymouth bus station, "
                                     "the skate park on Union Street")
    address = forms.CharField(label="Address", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    postcode = forms.CharField(label="Postcode", required=False, max_length=10,
                               widget=forms.TextInput(attrs={"autocomplete": "postal-code",
                                                             "spellcheck": "false"}))
    latitude = forms.CharField(label="Latitude", required=False, max_length=12,
                               help_text="Optional, in decimal degrees (50.37153). No map "
                                         "service is asked: enter it if you know it")
    longitude = forms.CharField(label="Longitude", required=False, max_length=12,
                                help_text="Optional, in decimal degrees (-4.14305)")
    provider = forms.ChoiceField(label="Provider (children's homes only)", required=False)
    registration_number = forms.CharField(
        label="Ofsted registration number (children's homes only)", required=False,
        max_length=20)

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "None")] + [(str(p.pk), p.name)
                                                           for p in providers]


class PlaceEditForm(PlaceForm):
    reason = forms.CharField(label="Why are you correcting it?", max_length=100,
                             error_messages={"required": "Say why the place is being "
                                                         "corrected"})


class PlaceMergeForm(forms.Form):
    duplicate = forms.UUIDField(label="The duplicate record (its reference from its page)",
                                error_messages={"required": "Choose the duplicate place",
                                                "invalid": "Choose the duplicate place"})
    reason = forms.CharField(label="Why are these the same place?", max_length=100,
                             error_messages={"required": "Say why these are the same place"})

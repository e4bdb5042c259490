"""Forms for the partner pages and the police panel. They check shape only; the rules live in the
services (mispers.partners.services)."""

from django import forms
from django.utils import timezone

from mispers.core.forms import GovukDateField, GovukDateTimeField

from .models import PartnerOrganisation, Responsibility
from .services.profiles import DEFAULT_REVIEW_DAYS


def _text(label, *, rows=3, help_text=""):
    return forms.CharField(label=label, required=False, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


class ProfileForm(forms.Form):
    """Philomena part 1. Free text is kept exactly as typed and always shown as plain text."""

    physical_description = _text("Physical description", help_text=(
        "Height, build, hair, eyes, skin, glasses, scars, tattoos, piercings"))
    photo = forms.FileField(label="Recent photo", required=False, help_text=(
        "A JPEG, PNG or WebP image smaller than 5 MB. It is resized and its hidden data "
        "(such as location) removed. Leave empty to keep the current photo."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    remove_photo = forms.BooleanField(
        label="Remove the current photo (it is deleted, not kept)", required=False)
    photo_taken_on = GovukDateField(label="When was the photo taken?", required=False)
    friends_and_associates = _text("Friends and associates", help_text=(
        "Names, nicknames, ages, where they live, how the child knows them"))
    places_frequented = _text("Addresses and places frequented", help_text=(
        "Family and friends' addresses, shops, parks, stations, towns the child goes to"))
    medical_needs = _text("Medical needs", rows=2)
    medication = _text("Medication", rows=2, help_text="What, how often, and what happens "
                                                       "without it")
    phone = forms.CharField(label="Phone number", required=False, max_length=100,
                            widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}))
    social_media = _text("Social media accounts", rows=2)
    transport = _text("Transport used", rows=2, help_text="Buses, trains, bike, lifts from "
                                                          "others")
    other_information = _text("Anything else that would help find the child")
    review_period_days = forms.IntegerField(
        label="Review every (days)", initial=DEFAULT_REVIEW_DAYS, min_value=7, max_value=365,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The file input has no "clear" box of its own: removing is the separate remove_photo.
        self.fields["photo"].widget = forms.FileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp"})


class Part2Form(forms.Form):
    """Philomena part 2: what the carer knows when the child goes missing."""

    last_seen_at = GovukDateTimeField(label="When was the child last seen?", noun="Last seen")
    last_seen_where = forms.CharField(label="Where were they last seen?", max_length=300)
    clothing = _text("What were they wearing?", rows=2, help_text=(
        "Colours, brands, coat, shoes, bag"))
    circumstances = _text("What happened before they went missing?")
    actions_taken = _text("What has been done to find them?", help_text=(
        "Rooms and grounds searched, friends and family called, places checked"))
    reporter_phone = forms.CharField(label="Phone number police can call you on",
                                     required=False, max_length=60,
                                     widget=forms.TextInput(attrs={"class":
                                                                   "govuk-input--width-20"}))

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and now is not None:
            self.initial.setdefault("last_seen_at", timezone.localtime(now).replace(
                second=0, microsecond=0))


class ResponsibilityForm(forms.Form):
    organisation = forms.ModelChoiceField(label="Organisation",
                                          queryset=PartnerOrganisation.objects.none())
    kind = forms.ChoiceField(label="Responsible as", choices=Responsibility.Kind.choices,
                             widget=forms.RadioSelect)
    starts_on = GovukDateField(label="From", help_text=(
        "For a new home, the previous home stops seeing new information from this date"))
    note = forms.CharField(label="Note", required=False, max_length=300)

    def __init__(self, *args, force, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            PartnerOrganisation.objects.working_with(force).filter(active=True).order_by("name"))


class ResponsibilityEndForm(forms.Form):
    ends_on = GovukDateField(label="Responsible until", help_text=(
        "From this date the organisation sees nothing new about the child"))

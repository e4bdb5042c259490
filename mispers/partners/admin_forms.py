"""Forms for managing partner organisations and their users. Shape only: the rules (names,
duplicate usernames, roles that fit the kind, password strength) are the services'
(mispers.partners.services.admin), so the pages and the API refuse the same things."""

from django import forms

from mispers.accounts.roles import Role

from .models import PartnerOrganisation
from .services.admin import MIN_PASSWORD_LENGTH, ROLES_FOR_KIND


class OrganisationForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, required=False)
    kind = forms.ChoiceField(label="Kind of organisation",
                             choices=PartnerOrganisation.Kind.choices, widget=forms.RadioSelect)
    email = forms.CharField(label="Shared inbox email (optional)", required=False,
                            max_length=254, help_text=(
                                "Alerts go here as well as to each user: use the team's "
                                "monitored inbox"),
                            widget=forms.EmailInput(attrs={"class": "govuk-input--width-20",
                                                           "autocomplete": "off",
                                                           "spellcheck": "false"}))


class LinkForm(forms.Form):
    organisation = forms.ModelChoiceField(label="Organisation",
                                          queryset=PartnerOrganisation.objects.none())
    reason = forms.CharField(label="Why your force needs to work with it (optional)",
                             max_length=300, required=False,
                             help_text="Shown to whoever decides, for example \"it runs two "
                                       "homes in our area\"")

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = queryset
        self.fields["organisation"].label_from_instance = (
            lambda org: f"{org.name} ({org.get_kind_display()})")


class PartnerUserForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    email = forms.CharField(label="Email address", max_length=254, required=False,
                            help_text="Alerts about the organisation's children are sent here",
                            widget=forms.EmailInput(attrs={"class": "govuk-input--width-20",
                                                           "autocomplete": "off",
                                                           "spellcheck": "false"}))
    username = forms.CharField(label="Username", max_length=150, required=False,
                               help_text="What they type to sign in: letters, numbers and "
                                         "@ . + - _",
                               widget=forms.TextInput(attrs={"class": "govuk-input--width-20",
                                                             "autocomplete": "off",
                                                             "spellcheck": "false"}))
    role = forms.ChoiceField(label="Role", widget=forms.RadioSelect)
    password = forms.CharField(
        label="Initial password", required=False, strip=False,
        help_text=(f"At least {MIN_PASSWORD_LENGTH} characters, not a common password and not "
                   "like their name. Give it to them by phone or in person, never by email."),
        widget=forms.PasswordInput(attrs={"class": "govuk-input--width-20",
                                          "autocomplete": "new-password"}))

    def __init__(self, *args, organisation: PartnerOrganisation, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the roles that fit this kind of organisation are offered; the service checks too.
        self.fields["role"].choices = [(r, Role(r).label)
                                       for r in ROLES_FOR_KIND[organisation.kind]]

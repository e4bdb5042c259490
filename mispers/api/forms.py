"""The form to create an API token on the "API tokens" page."""

from django import forms

from .tokens import default_days, max_days

LIFETIMES = [7, 30, 90, 180, 365]


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=100,
        help_text="What the token is for, so you know it again: for example, “Case system "
                  "link” or “Nightly report script”.",
        error_messages={"required": "Enter a name for the token",
                        "max_length": "Name must be 100 characters or fewer"})
    days = forms.TypedChoiceField(
        label="Expires after", coerce=int, widget=forms.RadioSelect,
        help_text="Choose the shortest time that works. You can create a new token before this "
                  "one expires.",
        error_messages={"required": "Choose when the token expires",
                        "invalid_choice": "Choose when the token expires"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lifetimes = sorted({d for d in [*LIFETIMES, default_days()] if d <= max_days()})
        self.fields["days"].choices = [(d, f"{d} days") for d in lifetimes]
        self.fields["days"].initial = default_days()

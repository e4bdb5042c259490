from django import forms

from mispers.core.forms import GovukDateField

from .models import Ethnicity, Marker, MarkerSource, MarkerSubtype, ObservedEthnicity, Sex


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


class ChildRecordForm(forms.Form):
    """The child's details, as recorded with a first report and as corrected later."""

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


class ChildEditForm(ChildRecordForm):
    """Correcting the child's record: every change needs a reason, kept in the history."""

    reason = forms.CharField(
        label="Why are you changing the record?", max_length=100,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: date of birth confirmed by the school; moved placement",
        error_messages={"required": "Say why you are changing the record"})

    @classmethod
    def initial_for(cls, child) -> dict:
        return {name: getattr(child, name) for name in cls.base_fields if name != "reason"}


class MarkerForm(forms.Form):
    kind = forms.ChoiceField(label="Marker", choices=Marker.Kind.choices)
    subtype = forms.ChoiceField(
        label="Kind of exploitation", required=False,
        choices=[("", "Not an exploitation marker"), *MarkerSubtype.choices],
        help_text="Required for an exploitation marker: the child has one active marker of each")
    source = forms.ChoiceField(label="Where the information came from",
                               choices=[("", "Choose"), *MarkerSource.choices],
                               error_messages={"required": "Say where the information came from"})
    active_from = GovukDateField(label="Active from", noun="The start date")
    active_until = GovukDateField(label="Active until", required=False, noun="The end date",
                                  help_text="Leave empty while it applies")
    review_on = GovukDateField(label="Review by", required=False, noun="The review date",
                               help_text="Leave empty for six months from today")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MarkerReviewForm(forms.Form):
    """A marker's review: it stays (with the next review date) or ends."""

    outcome = forms.ChoiceField(
        label="Does the marker still apply?", widget=forms.RadioSelect,
        choices=[("stays", "Yes: it stays, to be reviewed again"), ("ends", "No: it ends")],
        error_messages={"required": "Say whether the marker still applies"})
    review_on = GovukDateField(label="Next review by", required=False, noun="The review date")
    ends_on = GovukDateField(label="Ends on", required=False, noun="The end date")
    note = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Say why the marker stays or ends"})

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome == "stays" and not data.get("review_on") and "review_on" not in self.errors:
            self.add_error("review_on", "Enter the next review date")
        if outcome == "ends" and not data.get("ends_on") and "ends_on" not in self.errors:
            self.add_error("ends_on", "Enter the date the marker ends")
        return data

    def review_arguments(self) -> dict:
        data = self.cleaned_data
        stays = data["outcome"] == "stays"
        return {"note": data["note"], "review_on": data["review_on"] if stays else None,
                "ends_on": None if stays else data["ends_on"]}


class ConflictForm(forms.Form):
    right = forms.ChoiceField(widget=forms.RadioSelect,
                              error_messages={"required": "Say which record is right"})
    reason = forms.CharField(
        label="How do you know?", max_length=80, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say how you know which record is right"})

    def __init__(self, *args, conflict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["right"].label = f"Which {conflict.label.lower()} is right?"
        self.fields["right"].choices = [
            ("partner", f"The partner record: {conflict.partner}"),
            ("police", f"The police record: {conflict.police} (the partner's responsibility "
                       "ends today)")]

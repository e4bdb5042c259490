"""Forms for strategy meetings and trigger plans. They check shape only; the rules (an owner for
every action, a review date in the future, at least two agencies) live in the services, whose
messages the views put beside the right input. Action rows are a fixed number of blank rows
(no JavaScript needed); rows left blank are ignored."""

from django import forms

from mispers.core.forms import GovukDateField
from mispers.reviews.forms import ColleagueChoiceField

from .models import TriggerPlanAction
from .services import MeetingActionInput, PlanActionInput

ACTION_ROWS = 5

# Agencies usually at a strategy meeting about a missing child; others can be typed in.
COMMON_AGENCIES = [
    "Police", "Children's social care", "Education", "Health", "Youth justice",
    "Care provider", "Return-home interview provider", "Child exploitation team",
]


class MeetingForm(forms.Form):
    held_on = GovukDateField(label="Date the meeting was held",
                             error_messages={"required": "Enter the date the meeting was held"})
    agencies = forms.MultipleChoiceField(
        label="Agencies present", required=False,
        choices=[(name, name) for name in COMMON_AGENCIES],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}))
    other_agencies = forms.CharField(
        label="Other agencies present", required=False,
        widget=forms.Textarea(attrs={"rows": 2}), help_text="One a line")
    decisions = forms.CharField(label="Decisions", widget=forms.Textarea(attrs={"rows": 5}),
                                error_messages={"required": "Record what the meeting decided"})
    trigger_plan_agreed = forms.BooleanField(
        label="The meeting agreed a trigger plan", required=False,
        help_text="You get an action to write it; it is done when the plan is saved")

    def agency_names(self) -> list[str]:
        typed = self.cleaned_data.get("other_agencies", "").splitlines()
        return [*self.cleaned_data.get("agencies", []), *typed]


class MeetingActionForm(forms.Form):
    description = forms.CharField(label="Action", required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    owner_name = forms.CharField(label="Owner's name", required=False, max_length=200,
                                 help_text="Leave blank if you choose someone in your force")
    owner_agency = forms.CharField(label="Owner's agency", required=False, max_length=200)
    due_on = GovukDateField(label="Due by", required=False)

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_user"] = ColleagueChoiceField(
            label="Or someone in your force", required=False, colleagues=colleagues)
        self.order_fields(["description", "owner_name", "owner_agency", "owner_user",
                           "due_on"])

    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(name) for name in self.fields)

    def to_input(self) -> MeetingActionInput:
        data = self.cleaned_data
        return MeetingActionInput(description=data["description"], due_on=data["due_on"],
                                  owner_name=data["owner_name"],
                                  owner_agency=data["owner_agency"],
                                  owner_user=data["owner_user"])


class ResultForm(forms.Form):
    result = forms.CharField(label="Result", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Record the result of the action"})


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Give the reason"})


class PlanForm(forms.Form):
    review_on = GovukDateField(label="Review the plan by",
                               error_messages={"required": "Enter the date the plan is to "
                                                            "be reviewed by"},
                                help_text="After this date the plan still applies but shows "
                                          "as stale until someone reviews it")


class PlanActionForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", required=False,
                             choices=[("", "Choose the kind of action"),
                                      *TriggerPlanAction.Kind.choices])
    description = forms.CharField(label="What to do", required=False, max_length=200)
    detail = forms.CharField(label="Address, person and number, team or place",
                             required=False, max_length=300)
    due_within_minutes = forms.IntegerField(label="Due within (minutes of the report)",
                                            required=False, min_value=1,
                                            widget=forms.NumberInput(
                                                attrs={"class": "govuk-input--width-5"}))

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("kind") or data.get("description") or data.get("detail"))

    def to_input(self) -> PlanActionInput:
        data = self.cleaned_data
        return PlanActionInput(kind=data["kind"], description=data["description"],
                               detail=data["detail"],
                               due_within_minutes=data["due_within_minutes"] or 60)


class PlanReviewForm(forms.Form):
    review_on = GovukDateField(label="Next review by",
                               error_messages={"required": "Enter the next review date"})


PERIODS = [(30, "30 days"), (90, "90 days"), (365, "12 months"), (730, "2 years")]


class PeriodForm(forms.Form):
    days = forms.TypedChoiceField(label="Period", choices=PERIODS, coerce=int, initial=365,
                                  required=False)

"""Forms for the return: found, the prevention interview (or why it could not happen), proposed
markers, the return-home interview, closing and withdrawing. Shape only: the services check times
(found before last seen, in the future, an interview before the return), ranks and states."""

from django import forms

from mispers.core.forms import GovukDateTimeField
from mispers.reviews.forms import VersionForm

from .models import Condition, FoundBy, Harm, Indicator, ReturnHomeInterview


def _required(message: str) -> dict[str, str]:
    return {"required": message}


class FoundForm(VersionForm):
    found_at = GovukDateTimeField(label="When was the child found or did they return?",
                                  error_messages=_required("Enter when the child was found"),
                                  noun="The time found")
    found_where = forms.CharField(label="Where", max_length=300,
                                  error_messages=_required("Say where the child was found"))
    found_by = forms.ChoiceField(label="Who found them", choices=FoundBy.choices,
                                 widget=forms.RadioSelect,
                                 error_messages=_required("Choose who found the child"))
    condition = forms.ChoiceField(label="Their condition", choices=Condition.choices,
                                  widget=forms.RadioSelect,
                                  error_messages=_required("Choose the child's condition"))
    harms = forms.MultipleChoiceField(label="Kinds of harm", choices=Harm.choices,
                                      required=False, widget=forms.CheckboxSelectMultiple,
                                      help_text="Required if they were harmed or a victim")
    notes = forms.CharField(label="Notes", required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


class PreventionInterviewForm(forms.Form):
    held_at = GovukDateTimeField(label="When was the interview held?",
                                 error_messages=_required("Enter when the interview was held"),
                                 noun="The interview time")
    where_child_was = forms.CharField(
        label="Where were they?", widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_required("Record where the child was"))
    with_whom = forms.CharField(label="Who were they with?", required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    why_left = forms.CharField(label="Why did they leave?",
                               widget=forms.Textarea(attrs={"rows": 2}),
                               error_messages=_required("Record why the child left"))
    harm_disclosed = forms.CharField(label="Did they come to harm?", required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    indicators = forms.MultipleChoiceField(
        label="Exploitation indicators disclosed", choices=Indicator.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each proposes an exploitation marker for a supervisor or the coordinator "
                  "to confirm")
    child_account = forms.CharField(
        label="The child's own account, in their words",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=_required("Record the child's own account, in their words"))


class WaiverForm(forms.Form):
    reason = forms.CharField(
        label="Why could the prevention interview not happen?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required("Say why the prevention interview could not happen"),
        help_text="A supervisor other than you must approve the reason before the case closes")


class ProposalDecisionForm(forms.Form):
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="Required if you reject it")


class ReturnInterviewForm(forms.Form):
    """Progress of the independent return-home interview. Indicators already recorded are shown
    beside the form; the checkboxes only add new ones (each proposes a marker).

    ADR 20: the interview's version travels in a hidden field (a save based on an older one is
    refused); once completed, when it was offered, the answer and the completion time are no
    longer offered for change; police see no findings fields while a provider is commissioned
    (the provider records them). A frozen interview (completed and shared) gets no form at all:
    see `AddendumForm`."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    offered_at = GovukDateTimeField(label="When was the interview offered?", required=False,
                                    noun="The time offered")
    response = forms.ChoiceField(
        label="The child's answer", required=False,
        choices=[("", "Not yet known"), *ReturnHomeInterview.Response.choices],
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}))
    completed_at = GovukDateTimeField(label="When was the interview completed?",
                                      required=False, noun="The time completed")
    interviewer_name = forms.CharField(label="Interviewer", required=False, max_length=200,
                                       help_text="Someone not involved in the child's care")
    where_went = forms.CharField(label="Where they went", required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    with_whom = forms.CharField(label="Who they were with", required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    why_left = forms.CharField(label="Why they left", required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    harm = forms.CharField(label="Harm", required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    indicators = forms.MultipleChoiceField(label="Exploitation indicators found",
                                           required=False, choices=Indicator.choices,
                                           widget=forms.CheckboxSelectMultiple)
    what_would_help = forms.CharField(label="What would help", required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    child_words = forms.CharField(label="The child's words", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    share = forms.BooleanField(
        label="Share the findings with police", required=False,
        help_text="Shared findings show on the child's page and when their next episode is "
                  "assessed")

    FINDINGS = ("where_went", "with_whom", "why_left", "harm", "what_would_help", "child_words")

    #: False for police: while a provider is commissioned, its workers record the findings.
    provider_side = False

    def __init__(self, *args, interview: ReturnHomeInterview, **kwargs):
        initial = {name: getattr(interview, name) for name in (
            "offered_at", "response", "completed_at", "interviewer_name", *self.FINDINGS)}
        initial["expected_version"] = interview.version
        super().__init__(*args, initial=initial, **kwargs)
        if interview.completed_at is not None:  # the 72-hour measure is fixed once recorded
            for name in ("offered_at", "response", "completed_at"):
                del self.fields[name]
        if interview.provider_id is not None and not self.provider_side:
            for name in ("completed_at", "interviewer_name", *self.FINDINGS, "share",
                         "indicators"):
                self.fields.pop(name, None)
            return
        recorded = set(interview.indicators)
        self.fields["indicators"].choices = [(code, name) for code, name in Indicator.choices
                                             if code not in recorded]
        if not self.fields["indicators"].choices:
            del self.fields["indicators"]
        elif recorded:
            self.fields["indicators"].label = "Other exploitation indicators found"


class AddendumForm(forms.Form):
    """A correction or note to a completed return-home interview: the findings stay as they
    were; the addendum says what and why (ADR 20)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label="Why is an addendum needed?", widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_required("Say why the addendum is needed"),
        help_text="For example: a detail recorded wrongly, or something the child said later")
    text = forms.CharField(label="Addendum", widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages=_required("Write the addendum"))

    def __init__(self, *args, interview: ReturnHomeInterview, **kwargs):
        super().__init__(*args, initial={"expected_version": interview.version}, **kwargs)


def interview_arguments(data: dict) -> dict:
    """An interview form's cleaned data as return_interview_update's keyword arguments (the
    fields a form leaves out, once fixed or not the user's to record, stay unchanged)."""
    arguments = {"offered_at": data.get("offered_at"), "response": data.get("response", ""),
                 "completed_at": data.get("completed_at"),
                 "interviewer_name": data.get("interviewer_name", ""),
                 "indicators": data.get("indicators", []),
                 "expected_version": data.get("expected_version")}
    arguments.update({name: data[name] for name in ReturnInterviewForm.FINDINGS if name in data})
    return arguments


class WithdrawForm(VersionForm):
    reason = forms.CharField(label="Why was the report made in error?",
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages=_required("Say why the report was made in error"))


class ClosingForm(VersionForm):
    """The closing summary (issue 10). Each part may be left empty here: the closure workflow
    names every missing part beside the other blockers, in one answer."""

    what_happened = forms.CharField(label="What happened", required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text="Where the child was, with whom, how they came back")
    why_went = forms.CharField(label="Why the child went", required=False,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="In the child's words where you have them")
    risks_found = forms.CharField(label="The risks found", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text="Harm, exploitation, people and places of concern")
    what_next = forms.CharField(label="What happens next", required=False,
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text="Referrals, the trigger plan, who is doing what")

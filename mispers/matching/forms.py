"""Forms of the merge review queue: shape only, the services check the rest."""

from django import forms

REASON_REQUIRED = "Give the reason for this decision: it is kept with the record"


class DecisionForm(forms.Form):
    """A suggested pair: which record to keep (or that they are different children), and why.
    The decision is the button pressed (`decision`: keep_a, keep_b or reject)."""

    reason = forms.CharField(
        label="Reason for your decision", widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: same date of birth and placement, confirmed with the social "
                  "worker",
        error_messages={"required": REASON_REQUIRED})


class UndoForm(forms.Form):
    reason = forms.CharField(
        label="Why are you undoing this merge?", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REASON_REQUIRED})

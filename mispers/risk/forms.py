"""The risk questionnaire and the grade choice. One radio group, source and note per factor."""

from django import forms

from mispers.episodes.models import Grade
from mispers.risk import policy as risk_policy

ANSWER_CHOICES = [("yes", "Yes"), ("no", "No"), ("unknown", "Unknown")]
GRADE_NAMES = dict(Grade.choices)


def grade_choices(policy) -> list[tuple[str, str]]:
    """Highest first, each with the force's own label beside the national grade."""
    choices = []
    for grade in reversed(risk_policy.GRADES):
        label = GRADE_NAMES[grade]
        local = policy.labels.get(grade, label)
        if local and local != label:
            label = f"{label} ({local})"
        choices.append((grade, label))
    return choices


class AssessmentForm(forms.Form):
    grade = forms.ChoiceField(label="Grade", required=False, widget=forms.RadioSelect)
    rationale = forms.CharField(
        label="Rationale", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when the grade is below the recommendation")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = grade_choices(policy)
        self.factor_rows = []
        for factor in risk_policy.FACTORS.values():
            # Not required: a question left unanswered counts as unknown, never as no.
            answer = forms.ChoiceField(label=factor.question[:1].upper() + factor.question[1:],
                                       choices=ANSWER_CHOICES,
                                       initial="unknown", required=False, widget=forms.RadioSelect(
                                           attrs={"class": "govuk-radios--inline "
                                                           "govuk-radios--small"}))
            answer.unknown_if_blank = True  # the template leaves off "(optional)"
            source = forms.CharField(label="Source", required=False, max_length=200,
                                     help_text="Who said so")
            note = forms.CharField(label="Note", required=False, max_length=2000,
                                   help_text="Required when 'other' is yes"
                                   if factor.code == "other" else "")
            self.fields[f"{factor.code}"] = answer
            self.fields[f"{factor.code}__source"] = source
            self.fields[f"{factor.code}__note"] = note
            self.factor_rows.append((factor, factor.code))

    def factor_groups(self):
        """Questions grouped by the floor they can raise the grade to, highest first."""
        groups = {"high": [], "medium": [], "low": []}
        for factor, code in self.factor_rows:
            groups[factor.floor].append({
                "factor": factor,
                "answer": self[code],
                "source": self[f"{code}__source"],
                "note": self[f"{code}__note"],
            })
        titles = {"high": "Questions that can make the grade high",
                  "medium": "Questions that can make the grade medium",
                  "low": "Questions that can make the grade low"}
        return [(titles[floor], rows) for floor, rows in groups.items() if rows]

    def answer_values(self) -> dict[str, str]:
        """The answers as submitted, for the live preview (invalid values count as unknown)."""
        data = self.data
        return {code: data.get(self.add_prefix(code)) if data.get(self.add_prefix(code)) in
                risk_policy.ANSWERS else "unknown" for _, code in self.factor_rows}


class RatificationForm(forms.Form):
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="Why you ratify or decline the grade (required)")

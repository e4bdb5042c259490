from django import forms

from mispers.core.forms import GovukDateField
from mispers.episodes.models import MissingFrom
from mispers.people.models import Ethnicity, Sex

from .consistency import MEASURES
from .measures import AGE_BANDS, ETHNIC_GROUPS, GRADES, LABELS, NOT_GRADED, Filters


def _ethnicity_choices() -> list:
    """Each census group (all its categories) and then its categories, under its heading."""
    groups = {code: [(code, f"All: {label}")] for code, label in ETHNIC_GROUPS}
    for code, label in Ethnicity.choices:
        if code != Ethnicity.NOT_STATED:
            groups[code.split("_")[0]].append((code, label.partition(": ")[2]))
    return [("", "All"), *[(label, groups[code]) for code, label in ETHNIC_GROUPS],
            (Ethnicity.NOT_STATED, "Not stated")]


ETHNICITY_CHOICES = _ethnicity_choices()
GRADE_CHOICES = [(code, LABELS[code]) for code in [*GRADES, NOT_GRADED]]


class PeriodForm(forms.Form):
    """The period and the filters of the force picture (GET, no JavaScript needed)."""

    first = GovukDateField(label="First day", required=False, noun="The first day")
    last = GovukDateField(label="Last day", required=False, noun="The last day")
    team = forms.ChoiceField(label="Team", required=False, error_messages={
        "invalid_choice": "Choose one of your force's teams"})
    area = forms.ChoiceField(label="Area", required=False, error_messages={
        "invalid_choice": "Choose one of your force's areas"})
    age_band = forms.ChoiceField(label="Age at the report", required=False, choices=[
        ("", "All ages"), *[(code, label) for code, label, _low, _high in AGE_BANDS]])
    sex = forms.ChoiceField(label="Sex", required=False, choices=[("", "All"), *Sex.choices])
    looked_after = forms.ChoiceField(label="Looked after", required=False, choices=[
        ("", "All children"), ("yes", "Looked after"), ("no", "Not looked after")])
    missing_from = forms.ChoiceField(label="Missing from", required=False,
                                     choices=[("", "Anywhere"), *MissingFrom.choices])
    ethnicity = forms.ChoiceField(label="Self-defined ethnicity", required=False,
                                  choices=ETHNICITY_CHOICES, error_messages={
                                      "invalid_choice": "Choose one of the ethnicities listed"})
    grade = forms.ChoiceField(label="Initial grade", required=False,
                              choices=[("", "All grades"), *GRADE_CHOICES], error_messages={
                                  "invalid_choice": "Choose one of the grades listed"})

    def __init__(self, *args, teams=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All teams")] + [(str(t.pk), t.name)
                                                             for t in teams]
        self.fields["area"].choices = [("", "All areas")] + [(str(a.pk), a.name)
                                                             for a in areas]

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        looked_after = {"yes": True, "no": False}.get(data.get("looked_after", ""))
        return Filters(team_id=int(data["team"]) if data.get("team") else None,
                       area_id=int(data["area"]) if data.get("area") else None,
                       age_band=data.get("age_band", ""), sex=data.get("sex", ""),
                       looked_after=looked_after, missing_from=data.get("missing_from", ""),
                       ethnicity=data.get("ethnicity", ""), grade=data.get("grade", ""))


class PeriodOnlyForm(forms.Form):
    """A period alone (GET): the pages whose figures take no filter."""

    first = GovukDateField(label="First day", required=False, noun="The first day")
    last = GovukDateField(label="Last day", required=False, noun="The last day")


class ConsistencyForm(PeriodOnlyForm):
    """The period, the measure and the unit of the grading-consistency funnel (GET)."""

    measure = forms.ChoiceField(
        label="Measure", required=False,
        choices=[(code, m.label) for code, m in MEASURES.items()],
        error_messages={"invalid_choice": "Choose one of the measures listed"})
    unit = forms.ChoiceField(label="Compare", required=False,
                             choices=[("officer", "Officers"), ("team", "Teams")],
                             error_messages={"invalid_choice": "Compare officers or teams"})

    def choice(self, name: str, default: str) -> str:
        return (self.cleaned_data.get(name) if self.is_bound else "") or default

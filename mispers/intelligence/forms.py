"""Intelligence forms: shape only. The rules (a UK registration, a phone number that can be
normalised, a link within the force) are the services', whose messages the views show."""

import datetime as dt

from django import forms

from mispers.core.forms import GovukDateField

from .models import (
    EntityKind,
    HandlingCode,
    InformationAssessment,
    LinkKind,
    PersonRole,
    Platform,
    Source,
    SourceEvaluation,
)


class EntitySearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100,
                        help_text="A name or street name, a registration, a phone number or a "
                                  "handle")
    kind = forms.ChoiceField(label="Kind", required=False,
                             choices=[("", "Any kind"), *EntityKind.choices])


class EntityForm(forms.Form):
    kind = forms.ChoiceField(label="What are you recording?",
                             choices=[("", "Choose"), *EntityKind.choices],
                             error_messages={"required": "Choose what you are recording"})
    name = forms.CharField(label="Person: name, if known", required=False, max_length=200)
    aliases = forms.CharField(label="Person: aliases and street names", required=False,
                              max_length=500, help_text="Separate them with commas: Jay, J")
    approximate_age = forms.IntegerField(label="Person: approximate age", required=False,
                                         min_value=1, max_value=119)
    role = forms.ChoiceField(label="Person: role", required=False,
                             choices=[("", "Not known"), *PersonRole.choices])
    registration = forms.CharField(label="Vehicle: registration", required=False,
                                   max_length=12, help_text="As on the number plate: AB12 CDE")
    make = forms.CharField(label="Vehicle: make and model", required=False, max_length=60)
    colour = forms.CharField(label="Vehicle: colour", required=False, max_length=40)
    phone = forms.CharField(label="Phone number", required=False, max_length=30,
                            widget=forms.TextInput(attrs={"type": "tel"}))
    platform = forms.ChoiceField(label="Online handle: platform", required=False,
                                 choices=[("", "Choose"), *Platform.choices])
    handle = forms.CharField(label="Online handle: the handle or user name", required=False,
                             max_length=100)
    place = forms.UUIDField(label="Place: its reference (from the place's page)",
                            required=False, error_messages={"invalid": "Enter the place's "
                                                            "reference from its page"})
    description = forms.CharField(label="Description", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["aliases"] = [a.strip() for a in (data.get("aliases") or "").split(",")
                           if a.strip()]
        data.pop("place", None)
        return data


class GradingForm(forms.Form):
    """What happened, when, and how the information is graded (3x5x2)."""

    kind = forms.ChoiceField(label="What happened", choices=[("", "Choose"), *LinkKind.choices],
                             error_messages={"required": "Choose how the child is linked"})
    occurred_on = GovukDateField(label="When", error_messages={"required": "Enter the date"})
    source_evaluation = forms.ChoiceField(
        label="Source evaluation", widget=forms.RadioSelect, choices=SourceEvaluation.choices,
        error_messages={"required": "Choose the source evaluation"})
    information_assessment = forms.ChoiceField(
        label="Intelligence assessment", widget=forms.RadioSelect,
        choices=InformationAssessment.choices,
        error_messages={"required": "Choose the intelligence assessment"})
    handling_code = forms.ChoiceField(label="Handling code", widget=forms.RadioSelect,
                                      choices=HandlingCode.choices, initial=HandlingCode.P)
    note = forms.CharField(label="Note", required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class LinkForm(GradingForm):
    source = forms.ChoiceField(label="Where the information came from",
                               choices=[("", "Choose"), *Source.choices],
                               error_messages={"required": "Choose the source"})
    episode = forms.ChoiceField(label="During which episode", required=False)

    field_order = ["kind", "occurred_on", "source", "episode", "source_evaluation",
                   "information_assessment", "handling_code", "note"]

    def __init__(self, *args, episodes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["episode"].choices = [("", "Not during an episode")] + [
            (str(e.pk), f"{e.reference}, reported {e.reported_at:%d %B %Y}") for e in episodes]


class MergeForm(forms.Form):
    duplicate = forms.UUIDField(label="The duplicate record (its reference from its page)",
                                error_messages={"required": "Choose the duplicate",
                                                "invalid": "Choose the duplicate"})
    reason = forms.CharField(label="Why are these the same?", max_length=200,
                             error_messages={"required": "Say why these are the same"})


class UnmergeForm(forms.Form):
    reason = forms.CharField(label="Why is the merge being undone?", max_length=200,
                             error_messages={"required": "Say why the merge is being undone"})


class NetworkFilterForm(forms.Form):
    """The network's filters, as a GET form (works without JavaScript); the exports and the
    API take the same parameters."""

    # GOV.UK date inputs (issue 11); an ISO date under the field's own name (`?start=2026-01-01`,
    # the exports' and the API's links) is still read.
    start = GovukDateField(label="From", required=False, noun="The start of the period")
    end = GovukDateField(label="To", required=False, noun="The end of the period")
    kind = forms.MultipleChoiceField(
        label="Kinds of link", required=False,
        choices=[*LinkKind.choices, ("found_there", "Found there (the return's found place)")])
    min_links = forms.IntegerField(label="Linked to at least this many children",
                                   required=False, min_value=1, max_value=50)
    evaluation = forms.ChoiceField(label="Source evaluation at least", required=False,
                                   choices=[("C", "C or better (all)"), ("B", "B or better"),
                                            ("A", "A only")])
    assessment = forms.ChoiceField(label="Intelligence assessment at least", required=False,
                                   choices=[("5", "5 or better (all)"), ("4", "4 or better"),
                                            ("3", "3 or better"), ("2", "2 or better"),
                                            ("1", "1 only")])
    together = forms.ChoiceField(
        label="Children missing or found together", required=False,
        choices=[("yes", "Show"), ("no", "Do not show")])

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end of the period must be on or after its start")
        return data

    def filters(self, *, today, window_days: int, min_links: int = 2):
        """The filters asked for, with the defaults: the hub window ending today, entities and
        places linked to at least `min_links` children (the pages pass the policy's hub count),
        every kind and grading, the derived relations shown."""
        from .network import NetworkFilters

        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - dt.timedelta(days=window_days)
        return NetworkFilters(
            start=start, end=end, kinds=tuple(data.get("kind") or ()),
            min_links=data.get("min_links") or min_links,
            source_evaluation=data.get("evaluation") or "C",
            information_assessment=data.get("assessment") or "5",
            together=(data.get("together") or "yes") == "yes")

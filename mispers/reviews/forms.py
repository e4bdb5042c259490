"""Forms for reviews, ownership, actions and the enquiry log. They check shape only; the rules
(rank, who may accept, times in the future) live in the services, whose messages the views show."""

from django import forms

from mispers.core.forms import GovukDateTimeField
from mispers.episodes.models import EnquiryEntry


def _required(message: str) -> dict[str, str]:
    return {"required": message}


class VersionForm(forms.Form):
    """The episode's version when the page was opened: a save based on an older one is refused
    (two people editing the same episode at once)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReviewForm(VersionForm):
    notes = forms.CharField(
        label="Review notes", widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=_required("Record your review notes"),
        help_text="What you checked, what has been done, and whether the grade is still right")
    next_actions = forms.CharField(
        label="Next actions", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line: each becomes an action for the officer in the case, and follows "
                  "the case if it is handed over")


class ColleagueChoiceField(forms.ChoiceField):
    """A colleague in the user's force, chosen from a list the view loaded once (so a page of
    many forms costs one query), cleaned to the User."""

    def __init__(self, *args, colleagues=(), **kwargs):
        self.colleagues = {str(user.pk): user for user in colleagues}
        choices = [("", "Choose someone")] + [(key, user.display_with_rank)
                                               for key, user in self.colleagues.items()]
        super().__init__(*args, choices=choices, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.colleagues.get(value) if value else None


class HandoverForm(forms.Form):
    note = forms.CharField(label="Handover note", required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="What they need to know to take the case on")

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"] = ColleagueChoiceField(
            label="Hand the case to", colleagues=colleagues,
            error_messages=_required("Choose who to hand the case to"),
            help_text="It stays with the current owner until they accept it")
        self.order_fields(["to_user", "note"])


class TeamForm(forms.Form):
    """Choose a team first (a plain GET form, no JavaScript): the list of people below it holds
    only that team's members."""

    team = forms.ChoiceField(label="Team", required=False)

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {str(team.pk): team for team in teams}
        self.fields["team"].choices = [("", "Everyone in the force")] + [
            (key, team.name) for key, team in self.teams.items()]

    def chosen(self, default=None):
        """The team chosen (the user's own by default); None for everyone."""
        if not self.is_bound:
            return default
        return self.teams.get(self.data.get("team") or "")


def team_members(people, team) -> list:
    return [person for person in people if team is None or person.team_id == team.pk]


def team_choice(request, *, force_id):
    """(team form, chosen team): chosen by `?team=` (empty for everyone); by default the user's
    own team. The handover and allocation pages list only that team's people."""
    from mispers.accounts.models import Team

    teams = list(Team.objects.filter(force_id=force_id).order_by("name"))
    bound = "team" in request.GET
    form = TeamForm(request.GET if bound else None, teams=teams)
    own = next((team for team in teams if team.pk == request.user.team_id), None)
    team = form.chosen(default=own)
    if not bound:
        form = TeamForm(initial={"team": str(team.pk) if team else ""}, teams=teams)
    return form, team


class AllocateForm(forms.Form):
    note = forms.CharField(label="Note for the officer", required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"] = ColleagueChoiceField(
            label="Officer in the case", colleagues=officers,
            error_messages=_required("Choose the officer in the case"),
            help_text="They own the case at once and are told")
        self.order_fields(["officer", "note"])


class HandoverDecisionForm(forms.Form):
    note = forms.CharField(label="If you cannot take the case, say why", required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ActionForm(forms.Form):
    title = forms.CharField(label="Action", max_length=300,
                            error_messages=_required("Say what the action is"))
    due_at = GovukDateTimeField(label="Due by", required=False,
                                help_text="Leave blank for the policy's default",
                                noun="The due time")

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"] = ColleagueChoiceField(label="Assign to", required=False,
                                                          colleagues=colleagues)


class ActionAssignForm(forms.Form):
    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"] = ColleagueChoiceField(
            label="Assign to", colleagues=colleagues,
            error_messages=_required("Choose who to assign the action to"))


class ActionCompleteForm(forms.Form):
    result = forms.CharField(label="Result", widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages=_required("Record the result of the action"))


class ActionCancelForm(forms.Form):
    reason = forms.CharField(label="Why is it no longer needed?",
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages=_required("Say why the action is no longer needed"))


class EnquiryForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of entry", choices=EnquiryEntry.Kind.choices,
                             initial=EnquiryEntry.Kind.UPDATE,
                             widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}))
    occurred_at = GovukDateTimeField(label="When did it happen?",
                                     error_messages=_required("Enter when it happened"),
                                     noun="The time it happened")
    location = forms.CharField(label="Where", required=False, max_length=300,
                               help_text="Required for a sighting")
    seen_by = forms.CharField(label="Seen or reported by", required=False, max_length=200)
    text = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages=_required("Record what happened"))
    prompts_reassessment = forms.BooleanField(
        label="This new information needs a re-assessment of the risk", required=False)

"""The "Record a search" form: where (one of the suggestions, or somewhere else), when, who and
what was found. Shape only; the rules live in `services.search_record`."""

from django import forms

from mispers.core.forms import GovukDateTimeField

from .models import SearchResult

ELSEWHERE = "elsewhere"


class SearchForm(forms.Form):
    where = forms.ChoiceField(label="Where was searched?", widget=forms.RadioSelect,
                              error_messages={"required": "Choose where was searched",
                                              "invalid_choice": "Choose where was searched"})
    place_note = forms.CharField(
        label="Somewhere else: where?", required=False, max_length=300,
        help_text="The name of a place on record, or an address or description")
    searched_at = GovukDateTimeField(label="When was it searched?",
                                     error_messages={"required": "Enter when it was searched"},
                                     noun="The time of the search")
    who = forms.CharField(label="Who searched", required=False, max_length=200,
                          help_text="Names, collar numbers or the team")
    result = forms.ChoiceField(label="What did the search find?", choices=SearchResult.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "Choose what the search found"})
    notes = forms.CharField(label="Notes", required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = {str(s.rank): s for s in suggestions}
        self.fields["where"].choices = [
            *((str(s.rank), f"{s.rank}. {s.place.name}") for s in suggestions),
            (ELSEWHERE, "Somewhere else")]

    def clean(self):
        data = super().clean()
        if data.get("where") == ELSEWHERE and not (data.get("place_note") or "").strip():
            self.add_error("place_note", "Say where was searched")
        data["suggestion"] = self.suggestions.get(data.get("where") or "")
        return data

from django import forms

MAX_UPLOAD_MB = 512


class ForceFileForm(forms.Form):
    """A force file to load (the command takes whole folders; this is for one file)."""

    file = forms.FileField(label="A force file", help_text=(
        "A .jsonl file in the national exchange format, as `mispers export` writes it"),
        error_messages={"required": "Choose a force file to load"})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.endswith(".jsonl"):
            raise forms.ValidationError("Choose a .jsonl file in the national exchange format")
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(f"The file must be smaller than {MAX_UPLOAD_MB} MB: "
                                        "load larger ones with `mispers hub import`")
        return upload


class PairDecisionForm(forms.Form):
    """The national unit's decision on a pair the linkage was unsure of."""

    decision = forms.ChoiceField(label="Are these the same child?", widget=forms.RadioSelect,
                                 choices=[("same", "Yes, the same child"),
                                          ("different", "No, different children")],
                                 error_messages={"required": "Choose whether these are the "
                                                             "same child"})
    note = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="What in the two records shows it (kept with the pair)",
                           error_messages={"required": "Say why"})

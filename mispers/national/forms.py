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

"""GOV.UK Design System markup for every Django form: `{{ form }}` renders GOV.UK markup."""

import datetime as _dt
import re

from django import forms as _forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils import timezone


class GovukFormRenderer(TemplatesSetting):
    """Uses the project's TEMPLATES setting, so templates under mispers/templates/ are found."""

    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"


# --- GOV.UK date input (issue 11): day, month and year boxes, not the browser's date picker ---

PARTS = ("day", "month", "year")


class GovukDateWidget(_forms.MultiWidget):
    """Three text boxes (day, month, year) in GOV.UK's date-input markup. A single ISO value
    posted under the field's own name (an older form, a bookmarked filter) is still read."""

    template_name = "govuk/forms/date_input.html"

    def __init__(self, attrs=None):
        numeric = {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        super().__init__({part: _forms.TextInput(attrs=dict(numeric)) for part in PARTS},
                         attrs)

    def id_for_label(self, id_):
        """The day box: where the error summary's link takes the user."""
        return f"{id_}_day" if id_ else ""

    def decompress(self, value):
        if isinstance(value, str) and value:
            try:
                value = _dt.date.fromisoformat(value)  # an initial value from a query string
            except ValueError:
                return [None, None, None]
        if isinstance(value, _dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        if name in data and not any(f"{name}_{part}" in data for part in PARTS):
            try:
                return self.decompress(_dt.date.fromisoformat(str(data[name])))
            except ValueError:
                return ["", "", str(data[name])] if data[name] else ["", "", ""]
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)


class GovukDateField(_forms.MultiValueField):
    """A date as GOV.UK asks for one, with GOV.UK's messages, each naming the field: "Date of
    birth must include a month", "Date of birth must be a real date"."""

    widget = GovukDateWidget

    parts = PARTS

    def __init__(self, *, label: str, required: bool = True, noun: str = "", **kwargs):
        """`noun` names the field in messages when the label is a question ("When was the
        photo taken?" → "The date of the photo must include a month")."""
        fields = tuple(_forms.CharField(required=False) for _ in self.parts)
        self.required_message = (kwargs.get("error_messages") or {}).get("required")
        super().__init__(fields, label=label, required=required, require_all_fields=False,
                         **kwargs)
        self.noun = noun or label

    def clean(self, value):
        # Empty boxes: the field's own "required" message, or None.
        if not value or not any(str(v or "").strip() for v in value):
            if self.required:
                raise ValidationError(self.required_message
                                      or f"Enter {self.noun[0].lower()}{self.noun[1:]}",
                                      code="required")
            return None
        return super().clean(value)

    def compress(self, data_list):
        if not data_list:
            return None
        return self._date([str(v or "").strip() for v in data_list[:3]])

    def _date(self, values: list[str]) -> _dt.date:
        label = self.noun
        missing = [part for part, v in zip(PARTS, values, strict=True) if not v]
        if missing:
            raise ValidationError(f"{label} must include a " + " and a ".join(missing),
                                  code="incomplete")
        if not all(v.isdigit() for v in values):
            raise ValidationError(f"{label} must be a real date, in numbers, like 27 3 2011",
                                  code="invalid")
        day, month, year = (int(v) for v in values)
        if len(values[2]) != 4:
            raise ValidationError(f"{label}: the year must have 4 numbers, like 2011",
                                  code="invalid")
        try:
            return _dt.date(year, month, day)
        except ValueError as error:
            raise ValidationError(f"{label} must be a real date", code="invalid") from error


TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


class GovukDateTimeWidget(GovukDateWidget):
    """The date boxes and a time box (24-hour, "14:30"), as GOV.UK asks for a date and time.
    A single ISO value ("2026-03-14T10:00") under the field's own name is still read."""

    template_name = "govuk/forms/date_input.html"

    def __init__(self, attrs=None):
        _forms.MultiWidget.__init__(self, {
            **{part: _forms.TextInput() for part in PARTS}, "time": _forms.TextInput()}, attrs)

    def decompress(self, value):
        if isinstance(value, str) and value:
            try:
                value = _dt.datetime.fromisoformat(value)
            except ValueError:
                return [None, None, None, None]
        if isinstance(value, _dt.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return [value.day, value.month, value.year, value.strftime("%H:%M")]
        return [None, None, None, None]

    def value_from_datadict(self, data, files, name):
        if name in data and not any(f"{name}_{part}" in data for part in (*PARTS, "time")):
            parts = self.decompress(str(data[name]))
            return parts if parts[0] is not None else ["", "", str(data[name] or ""), ""]
        return _forms.MultiWidget.value_from_datadict(self, data, files, name)


class GovukDateTimeField(GovukDateField):
    """A date and a time (in the force's time zone), GOV.UK style."""

    widget = GovukDateTimeWidget
    parts = (*PARTS, "time")

    def compress(self, data_list):
        if not data_list:
            return None
        values = [str(v or "").strip() for v in data_list]
        day = self._date(values[:3])
        match = TIME.match(values[3])
        if not values[3]:
            raise ValidationError(f"{self.noun} must include a time, like 14:30",
                                  code="incomplete")
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            raise ValidationError(f"{self.noun}: enter a real time on the 24-hour clock, like "
                                  "14:30", code="invalid")
        naive = _dt.datetime.combine(day, _dt.time(int(match.group(1)), int(match.group(2))))
        return timezone.make_aware(naive)

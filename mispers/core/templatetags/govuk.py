"""Template helpers for GOV.UK Design System markup.

    {% load govuk %}
    {{ field|add_class:"govuk-input--width-10" }}      render a field's widget with extra classes
    {{ field|set_class:"govuk-checkboxes__input" }}    ...with exactly these classes
    {{ field|govuk_widget:"govuk-input" }}             ...and as an HTML5 date/datetime-local input
    {{ option|choice_input:"govuk-radios__input" }}    one radio or checkbox of a choice field
    {{ field|error_href }}                             where an error summary link should point
    {{ field|govuk_kind }}                             which GOV.UK component renders the field
    {{ episode.reported_at|govuk_datetime }}           14 Mar 2026, 15:04 (local time)
    {{ child.date_of_birth|govuk_date }}               14 Mar 2026
"""

import copy
import datetime

from django import forms, template
from django.forms import widgets
from django.forms.boundfield import BoundField, BoundWidget
from django.forms.utils import flatatt
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from mispers.core.forms import GovukDateWidget

register = template.Library()

DATE_FORMAT = "j M Y"  # 14 Mar 2026
DATETIME_FORMAT = "j M Y, H:i"  # 14 Mar 2026, 15:04

# Browsers' native pickers send and expect ISO 8601 values, whatever the locale.
_HTML5_DATE_TYPES: dict[type[forms.Widget], tuple[str, str]] = {
    forms.DateTimeInput: ("datetime-local", "%Y-%m-%dT%H:%M"),
    forms.DateInput: ("date", "%Y-%m-%d"),
}


def _merge_classes(*class_lists: str | None) -> str:
    seen: dict[str, None] = {}
    for classes in class_lists:
        for name in (classes or "").split():
            seen.setdefault(name, None)
    return " ".join(seen)


_KINDS: tuple[tuple[type[forms.Widget], str], ...] = (
    (forms.CheckboxSelectMultiple, "checkboxes"),  # before RadioSelect, its base class
    (forms.RadioSelect, "radios"),
    (forms.CheckboxInput, "checkbox"),
    (forms.Select, "select"),
    (forms.Textarea, "textarea"),
    (forms.FileInput, "file"),
    (widgets.Input, "input"),
)


@register.filter
def govuk_kind(field: BoundField) -> str:
    """Which GOV.UK pattern renders this field: radios, checkboxes (several), checkbox (one),
    select, textarea, file, input, hidden, or other (multi-widgets: Django's own markup).

    Decided by widget class, not `field.widget_type`, so that a subclass such as
    `class GradeRadios(forms.RadioSelect)` still renders as radios."""
    widget = field.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, GovukDateWidget):
        return "date"
    for widget_class, kind in _KINDS:
        if isinstance(widget, widget_class):
            return kind
    return "other"


@register.filter
def add_class(field: BoundField, css_class: str) -> SafeString:
    """Render the field's widget with `css_class` added to any class the widget already has
    (so `attrs={"class": "govuk-input--width-10"}` on the widget keeps its width)."""
    if not isinstance(field, BoundField):
        return field
    merged = _merge_classes(css_class, field.field.widget.attrs.get("class"))
    return field.as_widget(attrs={"class": merged})


@register.filter
def set_class(field: BoundField, css_class: str) -> SafeString:
    """Render the field's widget with exactly `css_class`, ignoring the widget's own class
    (used where the widget's class names a modifier of the GOV.UK container instead)."""
    if not isinstance(field, BoundField):
        return field
    return field.as_widget(attrs={"class": css_class})


@register.filter
def govuk_widget(field: BoundField, css_class: str) -> SafeString:
    """Like `add_class`, and render DateInput as type="date" and DateTimeInput as
    type="datetime-local" with the ISO values those inputs need."""
    if not isinstance(field, BoundField):
        return field
    widget = field.field.widget
    merged = _merge_classes(css_class, widget.attrs.get("class"))
    for widget_class, (input_type, value_format) in _HTML5_DATE_TYPES.items():
        if isinstance(widget, widget_class):
            widget = copy.copy(widget)
            widget.input_type = input_type
            widget.format = value_format
            break
    return field.as_widget(widget=widget, attrs={"class": merged})


@register.filter
def choice_input(option: BoundWidget, css_class: str) -> SafeString:
    """One <input> of a RadioSelect or CheckboxSelectMultiple with GOV.UK's class in place of
    the widget's own (which holds modifiers such as govuk-radios--inline for the container)."""
    data = option.data
    attrs = {key: value for key, value in data["attrs"].items() if key != "class"}
    attrs["class"] = css_class
    if data["selected"]:
        attrs["checked"] = True
    value = "" if data["value"] is None else str(data["value"])
    return format_html('<input type="{}" name="{}" value="{}"{}>',
                       data["type"], data["name"], value, flatatt(attrs))


@register.filter
def error_href(field: BoundField) -> str:
    """The id an error summary link for this field should point to: the input itself, or for
    radios and checkboxes the first option, as the GOV.UK error summary guidance says."""
    if field.field.widget.use_fieldset and isinstance(field.field.widget, widgets.ChoiceWidget):
        for option in field.subwidgets:
            if option.id_for_label:
                return option.id_for_label
    return field.id_for_label or field.auto_id


def _format(value, with_time: bool) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return dateformat.format(value, DATETIME_FORMAT if with_time else DATE_FORMAT)
    if isinstance(value, datetime.date):
        return dateformat.format(value, DATE_FORMAT)
    return str(value)


@register.filter(expects_localtime=True)
def govuk_datetime(value) -> str:
    """14 Mar 2026, 15:04 in the current time zone (a date alone gives 14 Mar 2026)."""
    return _format(value, with_time=True)


@register.filter(expects_localtime=True)
def govuk_date(value) -> str:
    """14 Mar 2026."""
    return _format(value, with_time=False)


@register.filter
def date_widget(field: BoundField) -> SafeString:
    """A GOV.UK date input's boxes, marked in error when the field has errors."""
    return field.as_widget(attrs={"error": "1"} if field.errors else None)


@register.filter
def forms_have_errors(forms) -> bool:
    """Whether any of several forms on a page has an error (one error summary for them all)."""
    return any(form is not None and form.errors for form in forms or ())

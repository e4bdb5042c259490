"""Issue 11: GOV.UK date inputs (day, month, year) with GOV.UK's messages, each naming the
field, linked from the error summary to the day box; an ISO value still read."""

import datetime as dt

import pytest
from django import forms

from mispers.core.forms import GovukDateField, GovukDateTimeField


class BirthForm(forms.Form):
    born = GovukDateField(label="Date of birth")
    seen = GovukDateField(label="Date seen", required=False)


@pytest.mark.parametrize("data, message", [
    ({"born_day": "3", "born_month": "", "born_year": "2011"},
     "Date of birth must include a month"),
    ({"born_day": "", "born_month": "", "born_year": "2011"},
     "Date of birth must include a day and a month"),
    ({"born_day": "31", "born_month": "2", "born_year": "2011"},
     "Date of birth must be a real date"),
    ({"born_day": "3", "born_month": "May", "born_year": "2011"},
     "Date of birth must be a real date, in numbers"),
    ({"born_day": "3", "born_month": "5", "born_year": "11"},
     "the year must have 4 numbers"),
    ({}, "Enter date of birth"),
])
def test_messages_name_the_field(data, message):
    form = BirthForm(data)
    assert not form.is_valid()
    assert message in " ".join(form.errors["born"])
    assert len(form.errors["born"]) == 1  # each field once


def test_a_date_in_boxes_or_iso_and_an_optional_empty_date():
    assert BirthForm({"born_day": "03", "born_month": "5", "born_year": "2011"}).is_valid()
    form = BirthForm({"born": "2011-05-03"})
    assert form.is_valid() and form.cleaned_data["born"] == dt.date(2011, 5, 3)
    assert form.cleaned_data["seen"] is None


def test_markup_is_govuk_and_the_error_links_to_the_day_box():
    form = BirthForm({"born_day": "3", "born_year": "2011"})
    html = str(form["born"].as_field_group())
    assert 'class="govuk-date-input"' in html and "<legend" in html
    for part in ("Day", "Month", "Year"):
        assert f">{part}</label>" in html
    assert 'id="id_born_day"' in html and "govuk-input--error" in html
    assert form["born"].id_for_label == "id_born_day"
    assert 'type="date"' not in html


class SeenForm(forms.Form):
    seen = GovukDateTimeField(label="When was the child last seen?", noun="Last seen")


@pytest.mark.parametrize("data, message", [
    ({"seen_day": "14", "seen_month": "3", "seen_year": "2026", "seen_time": ""},
     "Last seen must include a time, like 14:30"),
    ({"seen_day": "14", "seen_month": "3", "seen_year": "2026", "seen_time": "25:10"},
     "Last seen: enter a real time on the 24-hour clock"),
    ({"seen_day": "", "seen_month": "3", "seen_year": "2026", "seen_time": "10:00"},
     "Last seen must include a day"),
    ({}, "Enter last seen"),
])
def test_date_and_time_messages(data, message):
    form = SeenForm(data)
    assert not form.is_valid()
    assert message in form.errors["seen"][0]


def test_date_and_time_in_the_forces_time_zone_or_iso():
    from django.utils import timezone

    form = SeenForm({"seen_day": "14", "seen_month": "7", "seen_year": "2026",
                     "seen_time": "9.05"})
    assert form.is_valid()
    seen = timezone.localtime(form.cleaned_data["seen"])
    assert (seen.date(), seen.hour, seen.minute) == (dt.date(2026, 7, 14), 9, 5)
    assert seen.utcoffset() == dt.timedelta(hours=1)  # British Summer Time
    iso = SeenForm({"seen": "2026-03-14T10:00"})
    assert iso.is_valid() and timezone.localtime(iso.cleaned_data["seen"]).hour == 10
    html = str(SeenForm(initial={"seen": iso.cleaned_data["seen"]})["seen"].as_field_group())
    assert 'value="10:00"' in html and "Time (24-hour)" in html

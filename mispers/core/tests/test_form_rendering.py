"""GOV.UK markup from Django forms, the error summary, the page template and its helpers."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.test import RequestFactory

from mispers.core.forms import GovukFormRenderer
from mispers.core.templatetags.govuk import govuk_date, govuk_datetime


def test_the_project_form_renderer_finds_the_govuk_templates():
    renderer = GovukFormRenderer()
    for name in (renderer.form_template_name, renderer.field_template_name):
        renderer.get_template(name)


# --- a tiny HTML reader: every start tag as (tag, attrs) -----------------------------------


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))


def elements(html: str, tag: str | None = None, **attrs: str) -> list[dict[str, str]]:
    """Start tags matching `tag` and `attrs` (for_="x" is for="x", aria_current is
    aria-current); `class_` matches one class among several."""
    parser = _Elements()
    parser.feed(str(html))
    found = []
    for name, element_attrs in parser.elements:
        if tag and name != tag:
            continue
        if all(_matches(element_attrs, key, value) for key, value in attrs.items()):
            found.append(element_attrs)
    return found


def _matches(element_attrs: dict[str, str], key: str, value: str) -> bool:
    if key == "class_":
        return value in element_attrs.get("class", "").split()
    return element_attrs.get(key.rstrip("_").replace("_", "-")) == value


def one(html: str, tag: str | None = None, **attrs: str) -> dict[str, str]:
    found = elements(html, tag, **attrs)
    assert len(found) == 1, f"expected one <{tag or '*'} {attrs}>, found {len(found)} in:\n{html}"
    return found[0]


def classes(element: dict[str, str]) -> set[str]:
    return set(element.get("class", "").split())


# --- the form ------------------------------------------------------------------------------

GRADES = [("high", "High"), ("medium", "Medium"), ("low", "Low"),
          ("no_apparent_risk", "No apparent risk")]


class EveryWidgetForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As they are known locally",
                           widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}))
    email = forms.EmailField(required=False)
    age = forms.IntegerField(label="Age")
    secret = forms.CharField(widget=forms.PasswordInput)
    circumstances = forms.CharField(widget=forms.Textarea)
    missing_from = forms.ChoiceField(choices=[("home", "Home"), ("care", "Care")])
    grade = forms.ChoiceField(
        choices=GRADES, widget=forms.RadioSelect(attrs={"class": "govuk-radios--small"}),
        help_text="The national grade")
    seen_by_officer = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}))
    looked_after = forms.BooleanField(label="The child is looked after", required=False,
                                      help_text="In local authority care")
    markers = forms.MultipleChoiceField(
        choices=[("cse", "Child sexual exploitation"), ("cce", "Child criminal exploitation")],
        widget=forms.CheckboxSelectMultiple, required=False)
    date_of_birth = forms.DateField(widget=forms.DateInput)
    last_seen_at = forms.DateTimeField(widget=forms.DateTimeInput)
    version = forms.IntegerField(widget=forms.HiddenInput, initial=3)

    def clean(self):
        if self.data.get("name") == "Nobody":
            raise forms.ValidationError("The record could not be saved: try again")
        return super().clean()


VALID = {
    "name": "Amira Testchild", "email": "", "age": "14", "secret": "x", "circumstances": "Left",
    "missing_from": "care", "grade": "medium", "seen_by_officer": "yes", "looked_after": "on",
    "markers": ["cce"], "date_of_birth": "2011-06-01", "last_seen_at": "2026-07-01T14:30",
    "version": "3",
}


def test_the_renderer_renders_the_whole_form_with_govuk_templates():
    html = str(EveryWidgetForm())
    assert len(elements(html, "div", class_="govuk-form-group")) == 12
    one(html, "input", type="hidden", name="version", value="3")
    assert "django/forms" not in html


def test_text_inputs_get_govuk_classes_and_keep_width_classes_from_widget_attrs():
    html = EveryWidgetForm()["name"].as_field_group()
    group = one(html, "div", class_="govuk-form-group")
    assert "govuk-form-group--error" not in classes(group)
    assert one(html, "label", for_="id_name")["class"] == "govuk-label"
    field = one(html, "input", id="id_name")
    assert field["type"] == "text"
    assert classes(field) == {"govuk-input", "govuk-input--width-20"}
    one(html, "div", id="id_name_helptext", class_="govuk-hint")
    assert field["aria-describedby"] == "id_name_helptext"
    assert "As they are known locally" in html


@pytest.mark.parametrize(("name", "input_type"),
                         [("email", "email"), ("age", "number"), ("secret", "password")])
def test_email_number_and_password_inputs(name, input_type):
    field = one(EveryWidgetForm()[name].as_field_group(), "input", id=f"id_{name}")
    assert field["type"] == input_type
    assert classes(field) == {"govuk-input"}


def test_optional_fields_say_so_in_the_label():
    assert "Email (optional)" in EveryWidgetForm()["email"].as_field_group()
    assert "(optional)" not in EveryWidgetForm()["name"].as_field_group()


def test_textarea_and_select():
    form = EveryWidgetForm()
    one(form["circumstances"].as_field_group(), "textarea", id="id_circumstances",
        class_="govuk-textarea")
    select_html = form["missing_from"].as_field_group()
    one(select_html, "select", id="id_missing_from", class_="govuk-select")
    assert len(elements(select_html, "option")) == 2


def test_radios_are_a_fieldset_with_the_label_as_legend_and_modifiers_on_the_container():
    html = EveryWidgetForm()["grade"].as_field_group()
    fieldset = one(html, "fieldset", class_="govuk-fieldset")
    assert fieldset["aria-describedby"] == "id_grade_helptext"
    one(html, "legend", class_="govuk-fieldset__legend")
    assert "<label" not in html.split("<legend")[0]
    radios = one(html, "div", class_="govuk-radios")
    assert classes(radios) == {"govuk-radios", "govuk-radios--small"}
    assert radios["data-module"] == "govuk-radios"
    inputs = elements(html, "input", type="radio")
    assert [i["id"] for i in inputs] == ["id_grade_0", "id_grade_1", "id_grade_2", "id_grade_3"]
    assert all(classes(i) == {"govuk-radios__input"} for i in inputs)
    assert len(elements(html, "label", class_="govuk-radios__label")) == 4
    one(html, "label", for_="id_grade_3")
    assert "No apparent risk" in html

    inline = EveryWidgetForm()["seen_by_officer"].as_field_group()
    assert "govuk-radios--inline" in classes(one(inline, "div", class_="govuk-radios"))


def test_a_chosen_radio_is_checked():
    html = EveryWidgetForm(data={**VALID, "grade": "low"})["grade"].as_field_group()
    checked = [i for i in elements(html, "input", type="radio") if "checked" in i]
    assert [i["value"] for i in checked] == ["low"]


def test_single_checkbox_is_one_govuk_checkbox_with_its_hint():
    html = EveryWidgetForm()["looked_after"].as_field_group()
    assert "<fieldset" not in html
    one(html, "div", class_="govuk-checkboxes")
    one(html, "div", class_="govuk-checkboxes__item")
    box = one(html, "input", type="checkbox")
    assert classes(box) == {"govuk-checkboxes__input"}
    assert box["aria-describedby"] == "id_looked_after_helptext"
    one(html, "label", for_="id_looked_after", class_="govuk-checkboxes__label")
    one(html, "div", id="id_looked_after_helptext", class_="govuk-checkboxes__hint")


def test_checkbox_select_multiple_is_a_fieldset_of_checkboxes():
    html = EveryWidgetForm(data=VALID)["markers"].as_field_group()
    one(html, "fieldset", class_="govuk-fieldset")
    one(html, "div", class_="govuk-checkboxes", data_module="govuk-checkboxes")
    boxes = elements(html, "input", type="checkbox", class_="govuk-checkboxes__input")
    assert [b["id"] for b in boxes] == ["id_markers_0", "id_markers_1"]
    assert [b["value"] for b in boxes if "checked" in b] == ["cce"]


def test_dates_are_native_date_and_datetime_local_inputs_with_iso_values():
    form = EveryWidgetForm(initial={
        "date_of_birth": dt.date(2011, 6, 1),
        # 13:30 UTC is 14:30 in London in summer: the input shows the local time.
        "last_seen_at": dt.datetime(2026, 7, 1, 13, 30, tzinfo=dt.UTC),
    })
    date = one(form["date_of_birth"].as_field_group(), "input", id="id_date_of_birth")
    assert (date["type"], date["value"]) == ("date", "2011-06-01")
    assert classes(date) == {"govuk-input"}
    moment = one(form["last_seen_at"].as_field_group(), "input", id="id_last_seen_at")
    assert (moment["type"], moment["value"]) == ("datetime-local", "2026-07-01T14:30")


def test_native_date_values_are_accepted_back():
    form = EveryWidgetForm(data=VALID)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == dt.date(2011, 6, 1)
    assert form.cleaned_data["last_seen_at"] == dt.datetime(2026, 7, 1, 13, 30, tzinfo=dt.UTC)


def test_errors_mark_the_group_the_control_and_describe_the_control():
    form = EveryWidgetForm(data={**VALID, "name": "", "missing_from": "", "circumstances": ""})
    html = form["name"].as_field_group()
    assert "govuk-form-group--error" in classes(one(html, "div", class_="govuk-form-group"))
    message = one(html, "p", class_="govuk-error-message")
    assert message["id"] == "id_name_error"
    assert '<span class="govuk-visually-hidden">Error:</span> This field is required.' in html
    field = one(html, "input", id="id_name")
    assert classes(field) == {"govuk-input", "govuk-input--error", "govuk-input--width-20"}
    assert field["aria-describedby"] == "id_name_helptext id_name_error"
    assert field["aria-invalid"] == "true"
    # The hint comes before the error message, which comes before the input.
    assert html.index("id_name_helptext") < html.index("id_name_error") < html.index('id="id_name"')

    assert "govuk-select--error" in classes(
        one(form["missing_from"].as_field_group(), "select"))
    assert "govuk-textarea--error" in classes(
        one(form["circumstances"].as_field_group(), "textarea"))


def test_errors_on_radios_and_checkboxes_describe_the_fieldset():
    form = EveryWidgetForm(data={**VALID, "grade": "", "markers": ["nonsense"]})
    radios = form["grade"].as_field_group()
    assert one(radios, "fieldset")["aria-describedby"] == "id_grade_helptext id_grade_error"
    one(radios, "p", id="id_grade_error", class_="govuk-error-message")
    assert "govuk-form-group--error" in classes(one(radios, "div", class_="govuk-form-group"))
    boxes = form["markers"].as_field_group()
    assert one(boxes, "fieldset")["aria-describedby"] == "id_markers_error"
    one(boxes, "p", id="id_markers_error", class_="govuk-error-message")


def test_error_on_a_single_checkbox():
    class Confirm(forms.Form):
        confirm = forms.BooleanField(label="I have checked the address")

    html = Confirm(data={})["confirm"].as_field_group()
    one(html, "p", id="id_confirm_error", class_="govuk-error-message")
    assert one(html, "input", type="checkbox")["aria-describedby"] == "id_confirm_error"


# --- the error summary ---------------------------------------------------------------------


def render_summary(form) -> str:
    return render_to_string("includes/error_summary.html", {"form": form})


def test_error_summary_is_not_there_without_errors():
    assert render_summary(EveryWidgetForm()).strip() == ""
    assert render_summary(EveryWidgetForm(data=VALID)).strip() == ""


def test_error_summary_lists_every_error_linking_to_its_control():
    form = EveryWidgetForm(data={**VALID, "name": "Nobody", "age": "old", "grade": "",
                                 "markers": ["nonsense"]})
    html = render_summary(form)
    summary = one(html, "div", class_="govuk-error-summary")
    assert summary["data-module"] == "govuk-error-summary"
    assert summary["tabindex"] == "-1"
    one(html, "div", role="alert")
    assert "There is a problem" in html
    links = [a["href"] for a in elements(html, "a")]
    # The form-wide error links to the first field; radios and checkboxes to their first option.
    assert links == ["#id_name", "#id_age", "#id_grade_0", "#id_markers_0"]
    assert "The record could not be saved: try again" in html
    assert "Enter a whole number." in html


def test_error_summary_shows_hidden_field_errors_without_a_link():
    html = render_summary(EveryWidgetForm(data={**VALID, "version": "x"}))
    assert "Enter a whole number." in html
    assert elements(html, "a") == []


# --- the page template ---------------------------------------------------------------------

BRANDING = ("crown", "logotype", "GOV.UK", "govuk-header", "govuk-crest", "Crown copyright",
            "Open Government Licence", "GDS Transport", "favicon.ico")


def render_page(user, **context) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("base.html", context, request=request)


@pytest.mark.django_db
def test_base_page_has_the_service_name_navigation_user_and_force_and_no_crown(officer):
    html = render_page(officer)
    assert "Mispers" in html
    for word in BRANDING:
        assert word not in html, word
    one(html, "html", lang="en", class_="govuk-template")
    one(html, "body", class_="govuk-template__body")
    one(html, "a", href="#main-content", class_="govuk-skip-link")
    one(html, "main", id="main-content", class_="govuk-main-wrapper")
    one(html, "div", class_="govuk-phase-banner")
    assert "Alpha" in html
    assert "Mispers — synthetic demo data only" in html
    # The navigation comes from the context processor: route names become URLs.
    nav = one(html, "div", class_="govuk-service-navigation")
    assert nav["data-module"] == "govuk-service-navigation"
    hrefs = [a["href"] for a in elements(html, "a", class_="govuk-service-navigation__link")]
    assert "/episodes/" in hrefs and "/children/" in hrefs
    # The signed-in user and their force, and a sign-out form that posts with a CSRF token.
    assert officer.display_with_rank in html
    assert officer.force.name in html
    sign_out = one(html, "form", action="/logout/")
    assert sign_out["method"] == "post"
    one(html, "input", name="csrfmiddlewaretoken")
    assert "Sign out" in html
    # CSS and scripts: compiled assets, a module for components, htmx deferred, CSRF for htmx.
    one(html, "link", rel="stylesheet", href="/static/build/app.css")
    one(html, "script", type="module", src="/static/js/app.js")
    assert "defer" in one(html, "script", src="/static/build/htmx.min.js")
    assert '"X-CSRFToken": "' in one(html, "body")["hx-headers"]


@pytest.mark.django_db
def test_base_page_marks_the_current_navigation_item():
    nav_items = [{"url": "episodes:open", "label": "Open episodes", "current": True},
                 {"url": "people:search", "label": "Children", "current": False}]
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    html = render_to_string("base.html", {"nav_items": nav_items}, request=request)
    current = one(html, "a", aria_current="page")
    assert current["href"] == "/episodes/"
    one(html, "li", class_="govuk-service-navigation__item--active")
    assert "Sign out" not in html


@pytest.mark.django_db
def test_messages_become_notification_banners(officer):
    html = render_page(officer, messages=[
        Message(message_levels.SUCCESS, "Grade recorded"),
        Message(message_levels.INFO, "Review due at 18:00"),
    ])
    success = one(html, "div", class_="govuk-notification-banner--success")
    assert success["role"] == "alert"
    banners = elements(html, "div", class_="govuk-notification-banner")
    assert len(banners) == 2 and banners[1]["role"] == "region"
    assert "Grade recorded" in html and "Review due at 18:00" in html
    assert len({b["aria-labelledby"] for b in banners}) == 2


# --- the sign-in page ----------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_in_page(client):
    response = client.get("/login/?next=/episodes/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Sign in – Mispers</title>" in html
    for word in BRANDING:
        assert word not in html, word
    form = one(html, "form", method="post", action="/login/")
    assert "novalidate" in form
    one(html, "input", name="next", value="/episodes/")
    assert classes(one(html, "input", id="id_login")) == {"govuk-input"}
    assert one(html, "input", id="id_password")["type"] == "password"
    one(html, "button", type="submit", class_="govuk-button")
    assert "Sign in" in html
    assert elements(html, "div", class_="govuk-error-summary") == []


@pytest.mark.django_db
def test_failed_sign_in_shows_the_error_summary(client, officer):
    response = client.post("/login/", {"login": officer.username, "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Sign in – Mispers</title>" in html
    one(html, "div", class_="govuk-error-summary")
    assert one(html, "div", class_="govuk-error-summary").get("tabindex") == "-1"
    assert "The username and/or password you specified are not correct" in html
    assert [a["href"] for a in elements(html, "a") if a["href"] == "#id_login"]


# --- grade tags and dates ------------------------------------------------------------------


@pytest.mark.parametrize(("grade", "label", "expected"), [
    ("high", "", "High"),
    ("medium", "Medium", "Medium"),
    ("low", "LOW", "Low"),
    ("no_apparent_risk", "", "No apparent risk"),
    ("high", "Red", "High <span class=\"app-grade__force-label\">(Red)</span>"),
])
def test_grade_tag(grade, label, expected):
    html = render_to_string("includes/grade_tag.html", {"grade": grade, "label": label}).strip()
    tag = one(html, "strong", class_="govuk-tag")
    assert classes(tag) == {"govuk-tag", "app-grade", f"app-grade--{grade}"}
    assert html.endswith(f">{expected}</strong>")


def test_govuk_datetime_is_local_time():
    assert govuk_datetime(dt.datetime(2026, 3, 14, 15, 4, tzinfo=dt.UTC)) == "14 Mar 2026, 15:04"
    assert govuk_datetime(dt.datetime(2026, 7, 1, 14, 4, tzinfo=dt.UTC)) == "1 Jul 2026, 15:04"
    assert govuk_datetime(dt.date(2026, 3, 14)) == "14 Mar 2026"
    assert govuk_datetime(None) == ""
    assert govuk_date(dt.date(2011, 6, 1)) == "1 Jun 2011"


def test_govuk_datetime_in_a_template_uses_the_current_time_zone():
    from django.template import Context, Template

    template = Template("{% load govuk %}{{ at|govuk_datetime }}")
    at = dt.datetime(2026, 7, 1, 14, 4, tzinfo=dt.UTC)
    assert template.render(Context({"at": at})) == "1 Jul 2026, 15:04"


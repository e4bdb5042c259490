"""GOV.UK Design System markup for every Django form: `{{ form }}` renders GOV.UK fields and errors."""

from django.forms.renderers import DjangoTemplates


class GovukFormRenderer(DjangoTemplates):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"

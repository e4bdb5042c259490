"""GOV.UK Design System markup for every Django form: `{{ form }}` renders GOV.UK markup."""

from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Uses the project's TEMPLATES setting, so templates under mispers/templates/ are found."""

    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"

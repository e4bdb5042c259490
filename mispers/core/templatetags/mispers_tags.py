from django import template

register = template.Library()

GRADE_NAMES = {"no_apparent_risk": "No apparent risk", "low": "Low", "medium": "Medium",
               "high": "High"}


@register.filter
def lookup(mapping, key):
    """`{{ labels|lookup:episode.current_grade }}`: a dict value by a variable key."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def grade_name(code):
    return GRADE_NAMES.get(code, code or "Not graded")


@register.filter
def humanise(code):
    return str(code or "").replace("_", " ")

from django import template

from mispers.episodes.models import Grade

register = template.Library()

GRADE_NAMES = dict(Grade.choices)


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

"""The network page's longest list in one tag: an entity's or place's children and links (up
to CHILDREN_PER_ROW for each of TABLE_LIMIT rows, over a thousand items). The template engine
resolves each variable of each item through its generic lookups, which cost the page a fifth
of its time budget (ADR 50); the same markup built here with `format_html` costs a tenth of
that. Everything is escaped as the template would escape it."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from mispers.core.templatetags.govuk import govuk_date

register = template.Library()


def _link_item(other, edge) -> tuple:
    name = (format_html('<a class="govuk-link" href="{}">{}</a>', other.url, other.label)
            if other.url else format_html("{}", other.label))
    when = govuk_date(edge.first)
    if edge.last != edge.first:
        when = f"{when} to {govuk_date(edge.last)}"
    return (name, edge.relation_label, f" ({edge.grading})" if edge.grading else "", when,
            f", {edge.count} times" if edge.count > 1 else "")


@register.simple_tag
def network_links(row) -> SafeString:
    """The <li> items of one row of the entities table: each child with the link's kind,
    grading, dates and count, then "and N more" when the row is cut short."""
    items = format_html_join("", "<li>{}: {}{}, {}{}</li>",
                             (_link_item(other, edge) for other, edge in row["links"]))
    if row["more"]:
        items += format_html("<li>and {} more (in the exports)</li>", row["more"])
    return items

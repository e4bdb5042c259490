"""Scenario builders for intelligence, shared by this app's tests and the access tests."""

from mispers.intelligence.services import entity_create, link_create


def linked_associate(*, actor, now, child, name="Jay Testassociate", street_name="Jay"):
    """A person of interest known by a street name, seen with `child` (graded B3P)."""
    person = entity_create(actor=actor, now=now, kind="person", name=name,
                           aliases=[street_name], approximate_age=23,
                           role="suspected_exploiter")
    link_create(actor=actor, now=now, child=child, entity=person, kind="seen_with",
                occurred_on=now.date(), source="enquiry_log", source_evaluation="B",
                information_assessment="3")
    return person

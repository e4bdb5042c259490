"""Intelligence test scenes, built through the services."""

import pytest

from mispers.intelligence.tests.builders import linked_associate
from mispers.partners.tests.together import world


@pytest.fixture
def scene(force, now, child_details, make_user):
    w = world(force=force, now=now, child_details=child_details)
    officer = make_user(force=force, roles=["officer"], rank="officer", username="pc")
    jay = linked_associate(actor=officer, now=now, child=w.child, street_name="Jaybird")
    return w, officer, jay

import pytest

from .builders import history


@pytest.fixture
def scene(force, now, child_details, officer):
    from mispers.casework.children import child_create

    child = child_create(actor=officer, now=now, force=force, details=child_details(
        given_name="Tia", family_name="Searchtest", looked_after=False, placement_address=""))
    places, episode = history(actor=officer, now=now, child=child)
    return child, places, episode

"""Issue 11: 403 and 404 are pages in the service's own style that say what happened and what
to do, and a 404 says the same whether a record is missing or another force's."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_forbidden_explains_and_keeps_the_service_around_it(client, force, make_user):
    analyst = make_user(force=force, roles=["analyst"])
    client.force_login(analyst)
    response = client.get(reverse("places:index"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "You cannot see this page" in page and "ask your supervisor" in page
    assert "govuk-header" in page or "govuk-service-navigation" in page or "Mispers" in page


def test_not_found_is_the_same_for_missing_and_another_forces_record(client, call_handler,
                                                                     outsider, episode):
    client.force_login(outsider)
    theirs = client.get(reverse("episodes:detail", args=[episode.pk]))
    client.force_login(call_handler)
    missing = client.get("/episodes/00000000-0000-0000-0000-000000000000/")
    for response in (theirs, missing):
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()
        assert "belongs to another force" in response.content.decode()

"""GET /api/v1/children/{id}/intelligence-links/: police only, logged, another force 404."""

import pytest
from rest_framework.test import APIClient

from mispers.accounts.models import AccessLog

pytestmark = pytest.mark.django_db


def url(child):
    return f"/api/v1/children/{child.pk}/intelligence-links/"


def test_the_childs_links_for_police_only(scene, outsider, force, make_user):
    w, officer, jay = scene
    client = APIClient()
    client.force_authenticate(officer)
    response = client.get(url(w.child))
    assert response.status_code == 200
    [link] = response.json()["results"]
    assert link["entity"]["id"] == str(jay.pk) and link["grading"] == "B3P"
    assert "Jaybird" in link["entity"]["aliases"]
    assert AccessLog.objects.filter(user=officer, object_type="intelligence_link",
                                    child_id=w.child.pk, channel="api").exists()
    for user in [w.users.care_worker, w.users.social_worker,
                 make_user(force=force, roles=["commissioner"])]:
        client.force_authenticate(user)
        answer = client.get(url(w.child))
        assert answer.status_code == 403 and "Jaybird" not in answer.content.decode()
    client.force_authenticate(outsider)
    assert client.get(url(w.child)).status_code == 404

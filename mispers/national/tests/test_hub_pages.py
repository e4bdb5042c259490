"""The national hub's pages (issue 13): the national unit sees what each force sent and loads a
file; a rejected file's report names each problem; nobody else reaches the hub, and the national
unit reaches no force's pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mispers.core.testing import page_text
from mispers.exchange.tests.conftest import export

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(make_user):
    return make_user(force=None, roles=["national_unit"], username="nmpu")


def upload(client, path, name=None):
    with open(path, "rb") as handle:
        return client.post(reverse("national:hub"), {
            "file": SimpleUploadedFile(name or path.split("/")[-1], handle.read())})


def test_the_national_unit_loads_a_file_and_sees_the_force(client, national, force, history,
                                                            tmp_path):
    full, lines = export(force, tmp_path)
    client.force_login(national)
    assert client.get("/").url == reverse("national:hub")
    answer = upload(client, full)
    assert answer.status_code == 302
    report = client.get(answer.url).content.decode()
    assert "up to " + str(lines[0]["sequence"]["to"]) in report and "(full extract)" in report
    assert "Children whose sex is known" in report
    hub = client.get(reverse("national:hub")).content.decode()
    row = hub[hub.index(f'data-force="{force.pk}"'):]
    row = row[:row.index("</tr>")]
    assert ">3<" in row   # three children, three episodes
    assert "National hub" in hub


def test_a_rejected_file_shows_each_problem(client, national, force, history,
                                            tmp_path):
    full, _ = export(force, tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(open(full).read().replace('"missing_from":"care"', '"missing_from":"moon"', 1))
    client.force_login(national)
    answer = upload(client, str(bad))
    page = client.get(answer.url).content.decode()
    assert "This file was rejected: nothing from it was loaded" in page
    assert "missing_from: &#x27;moon&#x27; is not one of" in page
    refused = upload(client, full, name="extract.csv")
    assert refused.status_code == 400
    assert "Choose a .jsonl file" in refused.content.decode()


def test_nobody_else_reaches_the_hub_and_the_unit_reaches_no_force(
        client, national, coordinator_user, force, history):
    client.force_login(coordinator_user)
    assert client.get(reverse("national:hub")).status_code == 403
    assert client.get(reverse("national:file", args=[1])).status_code == 403
    client.force_login(national)
    assert client.get(reverse("national:file", args=[987654])).status_code == 404
    for url in [reverse("episodes:open"), reverse("people:detail", args=[
            history["amira"].child.pk]), reverse("insights:force_picture"),
            "/api/v1/episodes/"]:
        assert client.get(url).status_code in (403, 404), url
    assert "Amira" not in page_text(client.get(reverse("national:hub")))


@pytest.fixture
def coordinator_user(force, make_user):
    return make_user(force=force, roles=["coordinator"], username="coordinator2")

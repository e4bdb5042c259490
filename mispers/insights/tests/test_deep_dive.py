"""The commissioner's deep dive (issue 12, ADR 41): a PDF from the command and from the page,
whose text holds the figures and the definitions and no child's name or reference."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

pytestmark = pytest.mark.django_db
MARCH = {"first": "2026-03-01", "last": "2026-03-31"}


@pytest.fixture
def frozen():
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 4, 5, 12)), tick=False):
        yield


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_command_writes_a_deep_dive_with_no_child_in_it(force, force_data, frozen,
                                                            tmp_path):
    out = tmp_path / "deep-dive.pdf"
    call_command("report", "deep-dive", "--force", force.pk, "--from", "2026-03-01",
                 "--to", "2026-03-31", "--out", str(out))
    text = text_of(out.read_bytes())
    assert "Missing and absent children: deep dive" in text
    assert "Incidents (episodes)" in text and "Outcomes by grade" in text
    assert "Appendix: definitions" in text and "concentration" in text.lower()
    assert "Data quality" in text and "Date of birth missing" in text
    assert "exploitation marker active at the report" in text
    assert "fewer than 5" in text
    for episode in force_data["episodes"]:
        assert episode.reference not in text
        assert episode.child.full_name not in text  # (the fixture's surname is a common word)


@pytest.mark.parametrize("args, message", [
    (["--force", "atlantis"], "No force has the code 'atlantis'"),
    (["--to", "2026-02-01"], "must end on or after"),
    (["--from", "yesterday"], "--from must be a date"),
    (["--to", "2027-01-01"], "cannot end in the future"),
    (["--out", "/nonexistent/folder/x.pdf"], "No folder"),
])
def test_bad_input_is_one_clear_error_and_no_file(force, frozen, tmp_path, args, message):
    out = tmp_path / "x.pdf"
    values = {"--force": force.pk, "--from": "2026-03-01", "--to": "2026-03-31",
              "--out": str(out)}
    values.update(dict(zip(args[::2], args[1::2], strict=True)))
    with pytest.raises(CommandError, match=message):
        call_command("report", "deep-dive", *[x for pair in values.items() for x in pair])
    assert not out.exists()


def test_the_commissioner_downloads_it_from_the_force_picture(client, force, make_user,
                                                             force_data, frozen):
    commissioner = make_user(force=force, roles=["commissioner"], username="pcc")
    client.force_login(commissioner)
    page = client.get(reverse("insights:force_picture"), {
        "first_day": "1", "first_month": "3", "first_year": "2026",
        "last_day": "31", "last_month": "3", "last_year": "2026"}).content.decode()
    assert "deep-dive.pdf?first=2026-03-01&amp;last=2026-03-31" in page
    response = client.get(reverse("insights:deep_dive"), MARCH)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "1 Mar 2026 to 31 Mar 2026" in text
    assert force_data["amy"].full_name not in text

"""Suggestions from free text (issue 14): phone numbers, UK registrations and known names and
street names are recognised and kept for a person to confirm; nothing is linked until then."""

import datetime as dt

import pytest

from mispers.casework.enquiries import enquiry_workflow
from mispers.core.errors import PermissionDenied
from mispers.intelligence.models import Entity, Link, Suggestion
from mispers.intelligence.normalise import names_in, phones_in, plates_in
from mispers.intelligence.services import (
    LinkInvalid,
    entity_create,
    suggestion_confirm,
    suggestion_dismiss,
    suggestions_from_text,
)
from mispers.intelligence.suggest import child_texts_read

pytestmark = pytest.mark.django_db

TEXT = ("Seen getting into a black Golf AB12 CDE on Union Street with an older male she calls "
        "jay. Her friend says she rings 07700 900123 most nights.")
GRADING = dict(source_evaluation="B", information_assessment="2")


def test_phones_plates_and_names_are_found_in_text():
    assert [f.value for f in phones_in(TEXT)] == ["+447700900123"]
    assert [(f.value, f.text) for f in plates_in(TEXT)] == [("AB12CDE", "AB12 CDE")]
    assert [f.text for f in names_in(TEXT, {"jay": "p1", "union": "p2"})] == ["Union", "jay"]
    # Whole words only, a longer name wins, short names are not looked for.
    assert names_in("Jayden and Jay Boy", {"jay": "a", "jay boy": "b", "al": "c"})[0].value == "b"
    assert [f.text for f in names_in("Jayden and Jay Boy", {"jay": "a"})] == ["Jay"]
    assert phones_in("ring 0770 if you can") == [] and plates_in("room 12 of 300") == []


def test_suggestions_are_kept_and_nothing_is_linked(officer, now, episode):
    jay = entity_create(actor=officer, now=now, kind="person", name="Jason Example",
                        aliases=["Jay"])
    entry = enquiry_workflow(actor=officer, now=now, episode=episode, text=TEXT,
                             occurred_at=now - dt.timedelta(hours=1))
    made = {s.kind: s for s in Suggestion.objects.filter(child=episode.child)}
    assert set(made) == {"phone", "vehicle", "person"}
    assert made["person"].entity == jay and made["phone"].entity is None
    assert made["vehicle"].source_ref == f"enquiry:{entry.pk}"
    assert "AB12 CDE" in made["vehicle"].context
    assert Link.objects.count() == 0 and Entity.objects.count() == 1
    # Read again (the child's page button): nothing suggested twice.
    assert child_texts_read(actor=officer, now=now, child=episode.child) == []
    assert Suggestion.objects.count() == 3


def test_confirming_records_and_links_with_the_grading(officer, now, episode):
    suggestions_from_text(actor=officer, now=now, child=episode.child, episode=episode,
                          source="prevention_interview", source_ref="prevention:x", text=TEXT)
    phone = Suggestion.objects.get(kind="phone")
    link = suggestion_confirm(actor=officer, now=now, suggestion=phone, kind="in_contact_with",
                              occurred_on=now.date(), **GRADING)
    assert link.entity.key == "+447700900123" and link.grading == "B2P"
    assert link.source == "prevention_interview" and link.episode == episode
    phone.refresh_from_db()
    assert phone.state == "confirmed" and phone.link == link
    with pytest.raises(LinkInvalid):
        suggestion_confirm(actor=officer, now=now, suggestion=phone, kind="in_contact_with",
                           occurred_on=now.date(), **GRADING)
    plate = Suggestion.objects.get(kind="vehicle")
    suggestion_dismiss(actor=officer, now=now, suggestion=plate)
    plate.refresh_from_db()
    assert plate.state == "dismissed" and Link.objects.count() == 1
    # A value linked already is not suggested again from another text.
    assert suggestions_from_text(actor=officer, now=now, child=episode.child, episode=episode,
                                 source="enquiry_log", source_ref="enquiry:other",
                                 text="rang 07700 900123 again") == []


def test_another_forces_user_cannot_decide_a_suggestion(officer, outsider, now, episode):
    suggestions_from_text(actor=officer, now=now, child=episode.child, episode=episode,
                          source="enquiry_log", source_ref="enquiry:1", text=TEXT)
    with pytest.raises(PermissionDenied):
        suggestion_dismiss(actor=outsider, now=now, suggestion=Suggestion.objects.first())
    assert suggestions_from_text(actor=outsider, now=now, child=episode.child,
                                 source="enquiry_log", source_ref="enquiry:2", text=TEXT) == []


def test_the_prevention_interview_is_read_for_suggestions(officer, now, force, child_details):
    from mispers.casework.children import child_create
    from mispers.casework.interviews import prevention_interview_workflow
    from mispers.partners.tests.together import found, graded_episode

    child = child_create(actor=officer, now=now, force=force, details=child_details())
    episode = graded_episode(actor=officer, now=now - dt.timedelta(hours=2), child=child,
                             grader=officer)
    entity_create(actor=officer, now=now, kind="person", name="Jaybird")
    found(actor=officer, now=now, episode=episode, found_at=now - dt.timedelta(hours=1))
    interview = prevention_interview_workflow(
        actor=officer, now=now, episode=episode, held_at=now,
        where_child_was="A flat with jaybird", with_whom="Jaybird and a friend",
        why_left="Wanted to see him", child_account="He texts me from 07700 900654",
        harm_disclosed="", indicators=[])
    made = Suggestion.objects.filter(source_ref=f"prevention:{interview.pk}")
    assert sorted(made.values_list("kind", flat=True)) == ["person", "phone"]
    assert not Link.objects.exists()

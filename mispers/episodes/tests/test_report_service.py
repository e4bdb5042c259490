import datetime as dt

import pytest

from mispers.casework.report import episode_report
from mispers.episodes.models import Episode, TimelineEvent
from mispers.episodes.services import EpisodeInvalid
from mispers.people.models import Child
from mispers.people.services import ChildInvalid


def counts():
    return Child.objects.count(), Episode.objects.count(), TimelineEvent.objects.count()


def test_report_creates_episode_with_reference_and_timeline(episode, force):
    assert episode.reference == "DEVON-AND-CORNWALL-2026-000001"
    assert episode.state == Episode.State.REPORTED
    assert episode.force == force
    assert [e.code for e in episode.timeline.all()] == ["reported"]


def test_references_count_up_per_force_and_year(episode, call_handler, now, report_details):
    second = episode_report(actor=call_handler, now=now, details=report_details(),
                            child=episode.child)
    assert second.reference == "DEVON-AND-CORNWALL-2026-000002"


@pytest.mark.parametrize("overrides, field, message", [
    ({"last_seen_offset": dt.timedelta(hours=1)}, "last_seen_at", "Last seen must be before"),
    ({"reported_offset": dt.timedelta(hours=1)}, "reported_at", "cannot be in the future"),
    ({"missing_from": "moon"}, "missing_from", "Choose where"),
    ({"reported_by_name": "  "}, "reported_by_name", "Enter the name"),
])
def test_bad_report_refused_and_nothing_saved(db, call_handler, now, report_details,
                                              child_details, overrides, field, message):
    values = {}
    if "last_seen_offset" in overrides:
        values["last_seen_at"] = now + overrides["last_seen_offset"] - dt.timedelta(minutes=1)
        values["reported_at"] = now - dt.timedelta(minutes=5)
    if "reported_offset" in overrides:
        values["reported_at"] = now + overrides["reported_offset"]
    for key in ("missing_from", "reported_by_name"):
        if key in overrides:
            values[key] = overrides[key]
    before = counts()
    with pytest.raises(EpisodeInvalid) as caught:
        episode_report(actor=call_handler, now=now, details=report_details(**values),
                       new_child=child_details())
    assert caught.value.field == field
    assert message in caught.value.message
    assert counts() == before, "a refused report must not leave a child or episode behind"


def test_future_date_of_birth_refused(db, call_handler, now, report_details, child_details):
    with pytest.raises(ChildInvalid, match="Date of birth must be in the past"):
        episode_report(actor=call_handler, now=now, details=report_details(),
                       new_child=child_details(date_of_birth=dt.date(2027, 1, 1)))
    assert Child.objects.count() == 0


def test_person_of_eighteen_at_report_refused(db, call_handler, now, report_details,
                                              child_details):
    with pytest.raises((ChildInvalid, EpisodeInvalid), match="18 or over|under 18"):
        episode_report(actor=call_handler, now=now, details=report_details(),
                       new_child=child_details(date_of_birth=dt.date(2008, 3, 1)))
    assert Child.objects.count() == 0


def test_child_who_turned_eighteen_since_report_date_checked_at_report(
        episode, call_handler, now, report_details):
    child = episode.child
    child.date_of_birth = dt.date(2008, 3, 20)  # 17 until 20 March 2026
    child.save()
    older = episode_report(actor=call_handler, now=now, details=report_details(), child=child)
    assert older.pk
    with pytest.raises(EpisodeInvalid, match="18"):
        episode_report(actor=call_handler, now=now + dt.timedelta(days=10),
                       details=report_details(reported_at=now + dt.timedelta(days=9)),
                       child=child)


def test_estimated_age_used_when_dob_unknown(db, call_handler, now, report_details,
                                             child_details):
    episode = episode_report(actor=call_handler, now=now, details=report_details(),
                             new_child=child_details(date_of_birth=None, estimated_age=14))
    assert episode.child.age_on(now.date()) == 14


def test_cannot_report_another_forces_child(episode, outsider, now, report_details):
    with pytest.raises(EpisodeInvalid, match="not found"):
        episode_report(actor=outsider, now=now, details=report_details(), child=episode.child)


def test_history_records_each_change(episode):
    assert episode.history.count() == 1
    assert episode.child.history.count() == 1

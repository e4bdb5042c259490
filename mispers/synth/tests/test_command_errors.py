"""`mispers synth` answers a bad anchor date with one clear line, before anything is written."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mispers.episodes.models import Episode
from mispers.people.models import Child


@pytest.mark.django_db
@pytest.mark.parametrize("until", ["tomorrow", "2026-13-01", ""])
def test_a_bad_until_date_is_one_clear_error(forces, until):
    with pytest.raises(CommandError) as refused:
        call_command("synth", "demo", "--until", until, "--children", "2", "--episodes", "2")
    message = str(refused.value)
    assert message == ("--until must be an ISO date or date-time such as 2026-11-01 or "
                       f"2026-11-01T09:00, not {until!r}")
    assert Child.objects.count() == 0


@pytest.mark.django_db
def test_a_good_until_date_ends_the_history_there(forces):
    call_command("synth", "demo", "--until", "2025-06-01", "--children", "3", "--episodes", "4",
                 "--open", "0", stdout=StringIO())
    reported = sorted(Episode.objects.values_list("reported_at", flat=True))
    assert len(reported) == 4
    assert dt.datetime(2023, 6, 1, tzinfo=dt.UTC) <= reported[0]
    assert reported[-1] <= dt.datetime(2025, 6, 1, tzinfo=dt.UTC)

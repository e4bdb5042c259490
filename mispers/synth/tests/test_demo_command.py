"""`mispers demo`: forces, one user per role, synthetic data; safe to run again."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from mispers.accounts.models import Force, User
from mispers.episodes.models import Episode
from mispers.national.models import ForceFile, NationalRecord
from mispers.people.models import Child
from mispers.synth.demo import DEMO_PASSWORD, DEMO_USERS
from mispers.synth.duplicates import DUPLICATE_NOTE

SMALL = ["--children", "12", "--episodes", "30"]


def _demo() -> str:
    out = StringIO()
    call_command("demo", *SMALL, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_twice_makes_one_user_per_role_and_no_duplicates():
    first = _demo()
    children, episodes = Child.objects.count(), Episode.objects.count()
    second = _demo()

    assert Force.objects.count() == 43
    # The history's 12 children, plus a few recorded twice for the duplicate review queue.
    duplicates = Child.objects.filter(description=DUPLICATE_NOTE).count()
    assert duplicates >= 1
    assert (children - duplicates, episodes) == (12, 30)
    assert (Child.objects.count(), Episode.objects.count()) == (children, 30)
    for username, role, rank, _first, _last in DEMO_USERS:
        user = User.objects.get(username=username)
        # The national unit's user belongs to no force (issue 13).
        assert user.force_id == (None if role == "national_unit" else "devon-and-cornwall")
        assert user.role_codes == {role}
        assert user.rank == rank
        assert user.check_password(DEMO_PASSWORD)
    assert User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).count() == len(DEMO_USERS)
    for output in (first, second):
        for username, *_rest in DEMO_USERS:
            assert f"\n{username} " in output
        assert DEMO_PASSWORD in output and "demo password" in output
        assert "Open http://127.0.0.1:8000/ and sign in" in output
    assert f"{len(DEMO_USERS)} created" in first
    assert f"{len(DEMO_USERS)} already there" in second
    assert "already present" in second
    assert "duplicate review queue" in first and "duplicate review queue" not in second
    # The national hub holds the demo force's extract once, loaded on the first run.
    assert "National hub: devon-and-cornwall-full-" in first and "National hub" not in second
    assert ForceFile.objects.filter(force_code="devon-and-cornwall", status="loaded").count() == 1
    assert NationalRecord.objects.filter(kind="episode").count() == 30


@pytest.mark.django_db
def test_existing_users_keep_their_passwords():
    _demo()
    sergeant = User.objects.get(username="sergeant")
    sergeant.set_password("a-new-secret-of-their-own")
    sergeant.save()
    output = _demo()
    sergeant.refresh_from_db()
    assert sergeant.check_password("a-new-secret-of-their-own")
    assert "(changed: not shown)" in output


@pytest.mark.django_db
def test_the_history_shows_its_progress_in_a_log():
    """Written to a file or a pipe (not a terminal), the long step says how far it has got at
    every tenth of the way: steps, episodes and time taken, ending at all of them."""
    output = _demo()
    progress = [line for line in output.splitlines() if line.startswith("History: ")]
    assert len(progress) >= 5
    assert re.fullmatch(r"History: 1/\d+ events, [01]/30 episodes, 0:0\d elapsed", progress[0])
    events = re.fullmatch(r"History: (\d+)/(\d+) events, 30/30 episodes, \d+:\d\d elapsed",
                          progress[-1])
    assert events and events[1] == events[2]


class _Terminal(StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.django_db
def test_the_history_shows_a_progress_bar_on_a_terminal():
    out = _Terminal()
    call_command("demo", *SMALL, stdout=out)
    shown = out.getvalue()
    final = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.split("\r")[-1])  # as left on screen
    assert re.search(r"History ━{20} 30/30 episodes \d:\d\d:\d\d elapsed 0:00:00 left", final)
    assert "History: " not in shown  # no log lines on a terminal

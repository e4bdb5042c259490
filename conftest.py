"""Shared test fixtures. Data is set up through services, as the house rules ask."""

import datetime as dt
import os

import pytest

NOW = dt.datetime(2026, 3, 14, 15, 0, tzinfo=dt.UTC)


def pytest_collection_modifyitems(items):
    """Every test that drives Chromium is a browser test, marked or not, so
    `pytest -m "not browser"` runs the suite without a browser (README)."""
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def forces(db):
    from mispers.accounts.models import Force
    from mispers.accounts.services import forces_load

    forces_load()
    return Force.objects


@pytest.fixture
def force(forces):
    return forces.get(code="devon-and-cornwall")


@pytest.fixture
def other_force(forces):
    return forces.get(code="merseyside")


@pytest.fixture
def make_user(db):
    from mispers.accounts.roles import Rank
    from mispers.accounts.services import user_create

    counter = iter(range(1, 10_000))

    def make(*, force, roles, rank=Rank.STAFF, username=None, password="correct-horse-battery"):
        return user_create(username=username or f"user{next(counter)}", password=password,
                           force=force, roles=roles, rank=rank, first_name="Test",
                           last_name=(username or "User").title())

    return make


@pytest.fixture
def call_handler(force, make_user):
    return make_user(force=force, roles=["call_handler"], rank="call_handler",
                     username="handler")


@pytest.fixture
def officer(force, make_user):
    return make_user(force=force, roles=["officer"], rank="officer", username="officer")


@pytest.fixture
def sergeant(force, make_user):
    return make_user(force=force, roles=["supervisor"], rank="sergeant", username="sergeant")


@pytest.fixture
def inspector(force, make_user):
    return make_user(force=force, roles=["inspector"], rank="inspector", username="inspector")


@pytest.fixture
def outsider(other_force, make_user):
    """A sergeant of another force: must never see this force's children or episodes."""
    return make_user(force=other_force, roles=["supervisor", "officer"], rank="sergeant",
                     username="outsider")


@pytest.fixture
def child_details():
    from mispers.people.services import ChildDetails

    def make(**overrides):
        values = dict(given_name="Amira", family_name="Testchild",
                      date_of_birth=dt.date(2011, 6, 1), sex="female", ethnicity="asian_pakistani",
                      looked_after=True, local_authority="Plymouth City Council",
                      placement_address="1 Example Row, Plymouth")
        values.update(overrides)
        return ChildDetails(**values)

    return make


@pytest.fixture
def report_details(now):
    from mispers.episodes.services import ReportDetails

    def make(**overrides):
        values = dict(reported_at=now - dt.timedelta(minutes=30), reported_by_name="A Carer",
                      reported_by_relationship="Care worker", reported_by_contact="01234 000000",
                      last_seen_at=now - dt.timedelta(hours=3),
                      last_seen_where="Outside the placement", missing_from="care")
        values.update(overrides)
        return ReportDetails(**values)

    return make


@pytest.fixture
def episode(call_handler, now, child_details, report_details):
    from mispers.casework.report import episode_report

    return episode_report(actor=call_handler, now=now, details=report_details(),
                          new_child=child_details())


# --- Browser journeys: Playwright driving Debian's Chromium (no downloaded browser builds) ---

# Debian's Chromium unless MISPERS_CHROMIUM names another (README: other systems).
CHROMIUM = os.environ.get("MISPERS_CHROMIUM") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Chromium (README) and set MISPERS_CHROMIUM "
                    'to its path, or skip the browser tests with -m "not browser"')
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are still synchronous, so Django's async guard must stand aside.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_for(chromium, live_server):
    """page_for(user) -> a Playwright page signed in as `user` (through the real sign-in form);
    `lands` is where sign-in takes them (a partner user lands on "**/partners/")."""
    contexts = []

    def open_page(user, password="correct-horse-battery", lands="**/episodes/"):
        context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280,
                                                                            "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lands)
        return page

    yield open_page
    for context in contexts:
        context.close()


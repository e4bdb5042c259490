"""Police-only text never reaches a partner (ADR 0015).

An officer writes distinctive text into every police-only field a partner could be shown by
mistake: where the child was last seen, the circumstances, clothing, possible whereabouts, the
reporter's contact, the risk rationale, the enquiry log, a marker's note, an action, a review,
where the child was found (with an intelligence note) and the found notes. Then every partner
user opens every partner page and API endpoint and reads every alert and email: none of that
text appears. Every template lookup a partner page makes on a record, and every key of every
partner API answer, is one the disclosure module declares."""

import datetime as dt
import html
import json
from contextlib import contextmanager
from dataclasses import fields as dc_fields
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db.models import Model
from django.template.base import Variable
from django.urls import reverse
from rest_framework import serializers as drf
from rest_framework.test import APIClient

from mispers.api.serializers import partner as partner_serializers
from mispers.api.tests.helpers import token_for
from mispers.casework.found import return_record
from mispers.casework.grade import assessment_record
from mispers.casework.report import episode_report
from mispers.episodes.models import Episode
from mispers.episodes.services import ReportDetails
from mispers.partners import disclosure
from mispers.partners.models import PhilomenaProfile, SharingRecord
from mispers.partners.working_selectors import EpisodeStatus, InterviewClock
from mispers.people.models import Child
from mispers.returns.models import FoundRecord, ReturnHomeInterview
from mispers.reviews.models import Notification
from mispers.risk import policy as risk_policy
from mispers.risk.services import AnswerInput

from .together import world

pytestmark = pytest.mark.django_db
API = "/api/v1/partner"

# Distinctive police-only text, one token per field (no token is a prefix of another).
PLANTED = {
    "last_seen_where": "ZQLASTSEEN the flat above the kebab shop",
    "circumstances": "ZQCIRCUMSTANCES argued with staff, intel: older male",
    "clothing": "ZQCLOTHING red hoodie",
    "possible_whereabouts": "ZQWHEREABOUTS Dee's flat in Stonehouse",
    "reported_by_contact": "ZQCONTACT 07700 900999",
    "rationale": "ZQRATIONALE intelligence links her to county lines",
    "enquiry": "ZQENQUIRY sighting reported by CHIS",
    "enquiry_location": "ZQENQLOCATION Union Street",
    "marker": "ZQMARKER known associate of a drugs line",
    "action": "ZQACTION check the address of Dee",
    "review": "ZQREVIEW keep high, CSE indicators",
    "found_where": "ZQFOUNDWHERE 12 Acacia Avenue, intelligence: dealer's address",
    "found_notes": "ZQFOUNDNOTES disclosed an older male gave her a phone",
}
TOKENS = [value.split()[0] for value in PLANTED.values()]


@pytest.fixture(autouse=True)
def frozen_clock(now):
    with time_machine.travel(now, tick=False):
        yield


def planted_world(*, force, now, child_details, officer, sergeant, inspector):
    """A world whose episode carries planted police-only text in every field, graded, logged,
    marked, actioned, reviewed and found, through the services."""
    from mispers.casework.review import review_complete
    from mispers.people.services import marker_add
    from mispers.reviews.services import action_create, enquiry_record

    w = world(force=force, now=now, child_details=child_details)
    reported_at = now - dt.timedelta(hours=6)
    w.episode = episode_report(actor=officer, now=reported_at, child=w.child, details=ReportDetails(
        reported_at=reported_at, reported_by_name="A Carer",
        reported_by_contact=PLANTED["reported_by_contact"],
        last_seen_at=reported_at - dt.timedelta(hours=1),
        last_seen_where=PLANTED["last_seen_where"], missing_from="care",
        circumstances=PLANTED["circumstances"], clothing=PLANTED["clothing"],
        possible_whereabouts=PLANTED["possible_whereabouts"]))
    assessment_record(actor=officer, now=reported_at + dt.timedelta(minutes=5),
                      episode=w.episode, chosen_grade="high", rationale=PLANTED["rationale"],
                      answers={code: AnswerInput(answer="unknown")
                               for code in risk_policy.FACTORS})
    at = reported_at + dt.timedelta(minutes=30)
    enquiry_record(actor=officer, now=at, episode=w.episode, text=PLANTED["enquiry"],
                   occurred_at=at, location=PLANTED["enquiry_location"])
    marker_add(actor=sergeant, now=at, child=w.child, kind="exploitation", subtype="criminal",
               active_from=at.date(), note=PLANTED["marker"])
    action_create(actor=sergeant, now=at, episode=w.episode, code="other",
                  title=PLANTED["action"])
    review_complete(actor=inspector, now=at + dt.timedelta(minutes=10), episode=w.episode,
                    notes=PLANTED["review"])
    w.found = return_record(actor=officer, now=now - dt.timedelta(hours=1), episode=w.episode,
                            found_at=now - dt.timedelta(hours=2),
                            found_where=PLANTED["found_where"], found_by="police",
                            condition="safe_and_well", notes=PLANTED["found_notes"])
    w.episode.refresh_from_db()
    return w


@pytest.fixture
def w(force, now, child_details, officer, sergeant, inspector,
      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return planted_world(force=force, now=now, child_details=child_details,
                             officer=officer, sergeant=sergeant, inspector=inspector)


def partner_users(w):
    u = w.users
    return [u.social_worker, u.la_admin, u.care_worker, u.rhi_worker]


def assert_clean(text: str, where: str) -> None:
    leaked = [token for token in TOKENS if token in text]
    assert not leaked, f"police-only text {leaked} reached a partner in {where}"


def partner_pages(w) -> list[str]:
    rhi = ReturnHomeInterview.objects.get(episode=w.episode)
    assert rhi  # the interview was referred at the return
    return [reverse("partners:home"), reverse("partners:child", args=[w.child.pk]),
            reverse("partners:alerts"), reverse("partners:interviews"),
            reverse("partners:interview", args=[w.episode.pk]),
            reverse("partners:sharing"), reverse("partners:profile_edit", args=[w.child.pk]),
            reverse("partners:report", args=[w.child.pk])]


def api_paths(w) -> list[str]:
    rhi = ReturnHomeInterview.objects.get(episode=w.episode)
    return [f"{API}/children/", f"{API}/children/{w.child.pk}/episodes/",
            f"{API}/episodes/{w.episode.pk}/", f"{API}/alerts/?all=true",
            f"{API}/return-interviews/{rhi.pk}/"]


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user, scope='partner')}")
    return client


# --- the planted text ---------------------------------------------------------------------------

def test_the_planted_text_is_really_on_the_police_record(w, client, officer):
    """The check below would pass vacuously if the text never reached the record."""
    client.force_login(officer)
    page = html.unescape(client.get(reverse("episodes:detail", args=[w.episode.pk]))
                         .content.decode())
    for token in ["ZQLASTSEEN", "ZQFOUNDWHERE", "ZQENQUIRY", "ZQRATIONALE"]:
        assert token in page


def test_no_partner_page_shows_police_only_text(w, client):
    opened = 0
    for user in partner_users(w):
        client.force_login(user)
        for path in partner_pages(w):
            response = client.get(path)
            if response.status_code == 200:
                opened += 1
                assert_clean(html.unescape(response.content.decode()),
                             f"{path} for {user.username}")
    assert opened >= 20  # the pages really were shown, not refused


def test_no_partner_api_answer_carries_police_only_text(w):
    answered = 0
    for user in partner_users(w):
        client = token_client(user)
        for path in api_paths(w):
            response = client.get(path)
            if response.status_code == 200:
                answered += 1
                assert_clean(json.dumps(response.json()), f"{path} for {user.username}")
    assert answered >= 14


def test_no_alert_or_email_carries_police_only_text(w):
    alerts = list(Notification.objects.filter(kind__in=["partner_missing", "partner_found",
                                                        "partner_rhi_commissioned"]))
    assert {a.kind for a in alerts} >= {"partner_missing", "partner_found"}
    for alert in alerts:
        assert_clean(f"{alert.subject}\n{alert.body}", f"alert {alert.kind}")
    assert mail.outbox, "the alerts were emailed"
    for message in mail.outbox:
        assert_clean(f"{message.subject}\n{message.body}", f"email {message.subject}")
    for row in SharingRecord.objects.all():
        assert_clean(row.what, "the sharing log")


# --- every field that reaches a partner is declared ---------------------------------------------

POLICE_APPS = {"episodes", "risk", "returns", "reviews", "repeats", "people", "matching"}


def record_of(obj) -> tuple[str, ...] | None:
    """The disclosure records an object's attributes are declared in; () for a police record
    that has no place on a partner page at all; None for anything else (dicts, forms, users)."""
    table = [(Child, ("child",)), (Episode, ("episode",)), (FoundRecord, ("found",)),
             (ReturnHomeInterview, ("interview", "interview_findings")),
             (PhilomenaProfile, ("profile",)), (Notification, ("alert",)),
             (SharingRecord, ("sharing",)), (EpisodeStatus, ("episode",)),
             (InterviewClock, ("interview",)), (disclosure.ReleasedField, ("release",))]
    for kind, records in table:
        if isinstance(obj, kind):
            return records
    if isinstance(obj, Model) and obj._meta.app_label in POLICE_APPS:
        return ()
    return None


@contextmanager
def template_lookups():
    """Every (object, attribute) a template resolves while rendering: `a.b.c` records (a, "b")
    and (a.b, "c")."""
    seen = []
    original = Variable._resolve_lookup

    def traced(self, context):
        lookups = self.lookups
        for i in range(1, len(lookups)):
            self.lookups = lookups[:i]
            try:
                obj = original(self, context)
            except Exception:  # noqa: BLE001 - the template itself decides what a miss means
                obj = None
            finally:
                self.lookups = lookups
            if obj is None:
                break
            seen.append((obj, lookups[i]))
        return original(self, context)

    with mock.patch.object(Variable, "_resolve_lookup", traced):
        yield seen


def undeclared(seen) -> set:
    out = set()
    for obj, name in seen:
        records = record_of(obj)
        if records is None or name.isdigit():
            continue
        allowed = set().union(*(disclosure.RELEASED[r] for r in records)) if records else set()
        if name not in allowed:
            out.add((type(obj).__name__, name))
    return out


def police_records_in(response) -> set[str]:
    """Police records handed to a partner template at all (rendered or not)."""
    contexts = response.context if isinstance(response.context, list) else [response.context]
    out = set()

    def visit(value, depth=0):
        if record_of(value) == ():
            out.add(type(value).__name__)
        elif isinstance(value, (list, tuple)) and depth < 2:
            for item in value:
                visit(item, depth + 1)

    for context in contexts:
        if context is not None:
            for value in context.flatten().values():
                visit(value)
    return out


def test_partner_templates_read_only_declared_fields(w, client):
    handed = set()
    with template_lookups() as seen:
        for user in partner_users(w):
            client.force_login(user)
            for path in partner_pages(w):
                response = client.get(path)
                if response.status_code == 200:
                    handed |= police_records_in(response)
    assert any(record_of(obj) == ("episode",) for obj, _ in seen)  # the tracer saw records
    assert undeclared(seen) == set()
    assert handed == set()


def test_the_tracer_catches_a_police_field_in_a_partner_template(w, client):
    """The same check fails for the police episode page, which shows police fields."""
    from mispers.accounts.models import User

    officer = User.objects.filter(force=w.episode.force, organisation__isnull=True).first()
    client.force_login(officer)
    with template_lookups() as seen:
        client.get(reverse("episodes:detail", args=[w.episode.pk]))
    assert ("Episode", "last_seen_where") in undeclared(seen)


def json_keys(value, out=None) -> set:
    out = set() if out is None else out
    if isinstance(value, dict):
        for key, item in value.items():
            out.add(key)
            json_keys(item, out)
    elif isinstance(value, list):
        for item in value:
            json_keys(item, out)
    return out


def test_partner_api_answers_hold_only_declared_keys(w):
    allowed = set().union(*disclosure.RELEASED.values()) | {"count", "next", "previous",
                                                            "results"}
    seen = set()
    for user in partner_users(w):
        client = token_client(user)
        for path in api_paths(w):
            response = client.get(path)
            if response.status_code == 200:
                seen |= json_keys(response.json())
    assert {"reference", "status", "released"} <= seen
    assert seen - allowed == set()


def test_a_police_field_added_to_a_partner_serializer_never_leaves(w):
    """A field someone adds to a partner serializer (or inherits from a police one) without
    declaring it is dropped."""

    class Careless(partner_serializers.PartnerEpisodeSerializer):
        last_seen_where = drf.CharField(default="ZQLASTSEEN")
        grade = drf.CharField(default="high")

    status = EpisodeStatus(episode_id=w.episode.pk, reference=w.episode.reference,
                           child_id=w.child.pk, status="found",
                           reported_at=w.episode.reported_at,
                           last_seen_at=w.episode.last_seen_at, found_at=None, interview=None)
    data = Careless(status).data
    assert "last_seen_where" not in data and "grade" not in data
    assert data["reference"] == w.episode.reference


def test_every_partner_serializer_names_a_declared_record():
    for name in dir(partner_serializers):
        cls = getattr(partner_serializers, name)
        if (isinstance(cls, type) and issubclass(cls, drf.Serializer)
                and cls.__module__ == partner_serializers.__name__
                and not name.endswith("InputSerializer")):
            assert issubclass(cls, partner_serializers.Declared), name
            records = cls.records or (cls.record,)
            assert all(r in disclosure.RELEASED for r in records), name


def test_the_views_partners_read_hold_only_declared_fields():
    assert {f.name for f in dc_fields(disclosure.ReleasedField)} <= disclosure.RELEASED["release"]
    assert {f.name for f in dc_fields(EpisodeStatus)} <= disclosure.RELEASED["episode"]
    assert {f.name for f in dc_fields(InterviewClock)} <= disclosure.RELEASED["interview"]
    # Nothing releasable is released by default.
    for name in disclosure.RELEASABLE:
        assert name not in disclosure.RELEASED["episode"] | disclosure.RELEASED["found"]


# --- the police forms say what goes to partners -------------------------------------------------

def test_police_forms_say_which_fields_go_to_partners(client, officer, force, now,
                                                      child_details):
    w = world(force=force, now=now, child_details=child_details, prefix="f-")
    reported_at = now - dt.timedelta(hours=3)
    episode = episode_report(actor=officer, now=reported_at, child=w.child, details=ReportDetails(
        reported_at=reported_at, reported_by_name="A Carer", last_seen_at=reported_at,
        last_seen_where="Harbour View", missing_from="care"))
    assessment_record(actor=officer, now=reported_at, episode=episode, chosen_grade="high",
                      answers={code: AnswerInput(answer="unknown")
                               for code in risk_policy.FACTORS})
    client.force_login(officer)
    report = html.unescape(client.get(reverse("episodes:report") + f"?child={w.child.pk}")
                           .content.decode())
    found = html.unescape(client.get(reverse("returns:found", args=[episode.pk]))
                          .content.decode())
    assert disclosure.form_hint("report") in report
    assert "'where last seen'" in report
    assert disclosure.form_hint("found") in found
    assert "'where found'" in found

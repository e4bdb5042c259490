"""The access matrix: every page and API endpoint, opened (one GET) by a user of each police
role of the force, a police user of another force, and a user of each kind of partner
organisation, responsible for the child or not, answers exactly what it should.

The list of addresses comes from the URL resolver, so a new page or endpoint fails here until it
is classified in ROUTES. The expectations are rules (who may use it, is it about one record),
not recorded answers: a police page refuses partner users with 403 (they are signed in but hold
no police role), a partner page answers 404 to police and to organisations not responsible (as if
it did not exist), and another force's record is 404. POST-only endpoints are still opened with
a GET: the permission check comes first (403), then 405 for those let through."""

import datetime as dt
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mispers.accounts.roles import Rank
from mispers.accounts.services import user_create
from mispers.intelligence.tests.builders import linked_associate
from mispers.partners.models import Responsibility
from mispers.people.services import marker_add

from .together import PASSWORD, found, graded_episode, world

pytestmark = pytest.mark.django_db

# --- who --------------------------------------------------------------------------------------

POLICE = ["call_handler", "officer", "supervisor", "inspector", "superintendent", "coordinator",
          "analyst", "force_admin", "commissioner"]
RANKS = {"call_handler": Rank.CALL_HANDLER, "officer": Rank.OFFICER,
         "supervisor": Rank.SERGEANT, "inspector": Rank.INSPECTOR,
         "superintendent": Rank.SUPERINTENDENT, "coordinator": Rank.SERGEANT}
# A sergeant of another force (supervisor and officer roles).
OTHER_FORCE = "other_force"
OTHER_FORCE_ROLES = {"supervisor", "officer"}
# Partner users: one of each kind of organisation responsible for the child and one not.
PARTNERS = ["social_worker", "la_admin", "care_worker", "rhi_worker",
            "other_social_worker", "other_care_worker", "other_rhi_worker"]
USERS = POLICE + [OTHER_FORCE] + PARTNERS

REPORT = {"call_handler", "officer", "supervisor", "inspector", "superintendent", "coordinator"}
RATIFY = {"supervisor", "inspector", "superintendent"}
MARKER = RATIFY | {"coordinator"}
INTERVIEWER = {"officer", "supervisor", "inspector", "superintendent"}
ALL_POLICE = set(POLICE)
# Identifiable case records are for operational roles (ADR 0018): not the analyst, who has the
# pseudonymised analysis pages, nor the force administrator, who manages users and partners.
CASE_READ = ALL_POLICE - {"analyst", "force_admin", "commissioner"}
ANALYSIS = {"analyst", "coordinator", "inspector", "superintendent"}
# The commissioner's office: aggregate pages only, small numbers suppressed (ADR 41).
AGGREGATES = ANALYSIS | {"commissioner"}
MERGE = {"coordinator", "inspector", "superintendent"}
SHARING = {"coordinator", "supervisor", "inspector", "superintendent"}
RESPONSIBLE = {"social_worker", "la_admin", "care_worker", "rhi_worker"}
KEEPERS = {"social_worker", "la_admin", "care_worker"}  # the placing authority and the home
ORG_ADMIN = {"force_admin"}
ORG_READ = {"force_admin", "coordinator"}
TEAM_REFUSED = set(PARTNERS) - {"la_admin"}


# --- the rules --------------------------------------------------------------------------------

def police(allowed=frozenset(CASE_READ), *, ok=200, record=True, partner=403, other=None):
    """A police page or endpoint for `allowed` roles. Another force's sergeant gets 404 for a
    record (when their roles would be let in; `other` when the answer comes before the record
    is looked up), the list otherwise; partners `partner`."""
    def rule(who):
        if who in POLICE:
            return ok if who in allowed else 403
        if who == OTHER_FORCE:
            if not OTHER_FORCE_ROLES & set(allowed):
                return 403
            if other is not None:
                return other
            return 404 if record else ok
        return partner
    return rule


def post_only():
    """An API step (POST only) opened with a GET: any case reader passes the read permission and
    gets 405 before any record is looked up; analysts, administrators and partners 403."""
    return police(ok=405, other=405)


def absent(allowed=frozenset(CASE_READ), *, partner=403, ok=404):
    """A police page about a record this test does not create (another area's: a strategy
    meeting, a merge): whoever is let in gets 404 for the made-up id, the rest 403."""
    return police(allowed, ok=ok, partner=partner)


def partner_page(allowed=frozenset(RESPONSIBLE), *, ok=200, others=404, refused=()):
    """A partner page: `allowed` partner users get `ok`, `refused` ones 403, other partner users
    `others`, police 404 (the partner area does not exist for them)."""
    def rule(who):
        if who in refused:
            return 403
        if who in PARTNERS:
            return ok if who in allowed else others
        return 404
    return rule


def partner_api(allowed=frozenset(RESPONSIBLE), *, ok=200, others=404):
    def rule(who):
        if who in PARTNERS:
            return ok if who in allowed else others
        return 403
    return rule


def everyone(status):
    return lambda who: status


def sharing_rule(who):
    if who in POLICE:
        return 200 if who in SHARING else 403
    if who == OTHER_FORCE:
        return 200  # a sergeant reads their own force's log
    return 200 if who == "la_admin" else 404


# (what the address is about, the rule). Record kinds are filled in by `records` below.
ROUTES = {
    "home": (None, everyone(302)),
    "login": (None, everyone(302)),
    "logout": (None, everyone(405)),
    "password_change": (None, everyone(200)),
    "password_change_done": (None, everyone(200)),
    # Episodes, children, risk
    "episodes:open": (None, police(record=False)),
    "episodes:report": (None, police(REPORT, record=False)),
    "episodes:detail": ("episode", police()),
    "people:search": (None, police(record=False)),
    # Places (issue 11): the force's own; a made-up place is 404 to whoever may use places.
    "insights:force_picture": (None, police(AGGREGATES, record=False)),
    "insights:consistency": (None, police(ANALYSIS, record=False)),
    # The assessments behind a rate: case records, so not for the analyst; an unknown officer
    # is not found.
    "insights:consistency_assessments": ("absent_officer", police(ANALYSIS & CASE_READ,
                                                                  ok=404, record=False)),
    "places:index": (None, police(record=False)),
    "places:create": (None, police(record=False)),
    "places:suggest": (None, police(record=False)),
    "places:detail": ("absent", absent()),
    "places:edit": ("absent", absent()),
    "places:merge": ("absent", absent()),
    # Intelligence (issue 14): police only, for those who read case records; never a partner,
    # the commissioner's office, the analyst or the administrator. Merging is for supervisors
    # and the coordinator (GET: back to the record).
    "intelligence:index": (None, police(record=False)),
    "intelligence:create": (None, police(record=False)),
    "intelligence:suggestions": (None, police(record=False)),
    "intelligence:detail": ("entity", police()),
    "intelligence:merge": ("entity", police(MARKER, ok=302)),
    "intelligence:unmerge": ("absent", absent(MARKER)),
    "intelligence:child_link": ("child", police()),
    "intelligence:child_read": ("child", police(ok=302)),
    "intelligence:suggestion": ("absent", absent()),
    "intelligence:suggestion_dismiss": ("absent", absent()),
    # Issue 14: where to look and searches (police only, like intelligence)
    "searches:where_to_look": ("episode", police()),
    "searches:figures": (None, police(record=False)),
    # The network (ADR 50): intelligence roles and the analyst (pseudonymous); the force's own.
    "intelligence:network": (None, police(CASE_READ | {"analyst"}, record=False)),
    "intelligence:network_csv": (None, police(CASE_READ | {"analyst"}, record=False)),
    "intelligence:network_graphml": (None, police(CASE_READ | {"analyst"}, record=False)),
    "people:detail": ("child", police()),
    "people:add_marker": ("child", police(MARKER, ok=302, other=302)),  # GET: back to the page
    "people:review_marker": ("marker", police(MARKER)),
    "people:edit": ("child", police(REPORT)),
    # No disagreement in this world: the page sends the user back to the child.
    "people:resolve_conflict": ("conflict", police(REPORT, ok=302)),
    "risk:assess": ("episode", police(REPORT)),
    "risk:assess_preview": ("episode", police(REPORT, ok=405, other=405)),
    "risk:ratifications": (None, police(RATIFY, record=False)),
    "risk:assessment": ("assessment", police()),
    # Reviews, ownership, actions
    "reviews:mine": (None, police(record=False)),
    "reviews:supervision": (None, police(RATIFY, record=False)),
    "reviews:unallocated": (None, police(RATIFY | {"call_handler"}, record=False)),
    "reviews:allocate": ("episode", police(RATIFY)),
    "reviews:review": ("episode", police(RATIFY)),
    "reviews:handover": ("episode", police()),
    "reviews:action_new": ("episode", police(REPORT)),
    "reviews:enquiry": ("episode", police(REPORT)),
    "reviews:handover_decide": ("absent", absent()),
    "reviews:action_assign": ("absent", absent(REPORT)),
    "reviews:action_complete": ("absent", absent(REPORT)),
    "reviews:action_cancel": ("absent", absent(RATIFY)),
    "reviews:acknowledge": ("absent_int", absent()),
    "reviews:acknowledge_many": (None, post_only()),
    # The return
    "returns:coordinator": (None, police(MARKER, record=False)),
    "returns:found": ("episode", police(REPORT)),
    "returns:prevention_interview": ("episode", police(INTERVIEWER)),
    "returns:waiver_request": ("episode", police(INTERVIEWER)),
    "returns:close": ("episode", police(RATIFY)),
    "returns:withdraw": ("episode", police(RATIFY)),
    "returns:waiver_approve": ("absent", absent(RATIFY)),
    "returns:proposal": ("absent", absent(MARKER)),
    "returns:rhi": ("rhi", police(MARKER)),
    # Repeat children (another area: records not created here)
    "repeats:list": (None, police(record=False)),
    "repeats:meetings": (None, police(record=False)),
    "repeats:meeting": ("absent", absent()),
    "repeats:meeting_action_complete": ("absent", absent()),
    "repeats:flag_close": ("absent", absent(MARKER)),
    "repeats:child_meetings": ("child", police()),
    "repeats:meeting_new": ("child", police(MARKER)),
    "repeats:trigger_plan": ("child", police()),
    "repeats:plan_review": ("absent", absent(MARKER)),
    "repeats:plan_retire": ("absent", absent(MARKER)),
    # Duplicates (another area)
    "matching:queue": (None, police(MERGE, record=False)),
    "matching:suggestion": ("absent_int", absent(MERGE)),
    "matching:merges": (None, police(MERGE, record=False)),
    "matching:merge_undo": ("absent_int", absent(MERGE)),
    # Partner pages
    "partners:home": (None, partner_page(set(PARTNERS))),
    "partners:child": ("child", partner_page()),
    # The return-interview provider sees the child but neither keeps the profile nor reports:
    # a known record it may not change is 403.
    "partners:profile_edit": ("child", partner_page(KEEPERS, refused={"rhi_worker"})),
    "partners:report": ("child", partner_page(KEEPERS, refused={"rhi_worker"})),
    "partners:photo": ("absent", partner_page(set(), others=404)),
    "partners:alerts": (None, partner_page(set(PARTNERS))),
    "partners:alert_acknowledge": ("alert", partner_page(set(PARTNERS), ok=302)),
    "partners:interviews": (None, partner_page(set(PARTNERS))),
    "partners:interview": ("episode", partner_page({"social_worker", "la_admin",
                                                    "rhi_worker"})),
    "partners:sharing": (None, sharing_rule),
    "partners:release": ("episode", police({"officer", "supervisor", "inspector",
                                            "superintendent", "coordinator"})),
    # Police side of partners
    "partners:responsibility_add": ("child", police()),
    "partners:responsibility_end": ("responsibility", police()),
    "partners:commission": ("rhi", police(MARKER)),
    # Managing partner organisations (ADR 0013): the force administrator writes, the
    # coordinator reads; POST-only steps opened with a GET are 405 once let in.
    "partners:organisations": (None, police(ORG_READ, record=False)),
    "partners:organisation_new": (None, police(ORG_ADMIN, record=False)),
    "partners:organisation_link": (None, police(ORG_ADMIN, record=False)),
    "partners:organisation": ("organisation", police(ORG_READ)),
    "partners:organisation_user_new": ("organisation", police(ORG_ADMIN)),
    "partners:organisation_active": ("organisation", police(ORG_ADMIN, ok=405)),
    "partners:organisation_user_active": ("partner_user", police(ORG_ADMIN, ok=405)),
    # Links between organisations and forces (ADR 0014): POST only, force administrators.
    "partners:link_decide": ("absent", police(ORG_ADMIN, ok=405)),
    "partners:link_end": ("absent", police(ORG_ADMIN, ok=405)),
    # The partner administrator's own team; other partner users are refused (403).
    "partners:team": (None, partner_page({"la_admin"}, refused=TEAM_REFUSED)),
    "partners:team_user_new": (None, partner_page({"la_admin"}, refused=TEAM_REFUSED)),
    "partners:team_user_active": ("partner_user", partner_page({"la_admin"}, ok=405,
                                                               refused=TEAM_REFUSED)),
    "partners:team_link_decide": ("absent", partner_page({"la_admin"}, ok=405,
                                                         refused=TEAM_REFUSED)),
    "partners:team_link_end": ("absent", partner_page({"la_admin"}, ok=405,
                                                      refused=TEAM_REFUSED)),
    # The national hub (issue 13): the national unit only, which holds no force's role
    "national:hub": (None, police(frozenset(), record=False)),
    "national:file": ("absent_int", absent(frozenset())),
    "national:tables": (None, police(frozenset(), record=False)),
    "national:link": (None, police(frozenset(), record=False)),
    "national:dashboard": (None, police(frozenset(), record=False)),
    "national:review": (None, police(frozenset(), record=False)),
    "national:pair": ("absent_int", absent(frozenset())),
    # The police API
    "api:children": (None, police(record=False)),
    "api:places": (None, police(record=False)),
    "api:insight-figures": (None, police(AGGREGATES, record=False)),
    "insights:outcomes": (None, police(AGGREGATES, record=False)),
    "insights:deep_dive": (None, police(AGGREGATES, record=False)),
    "insights:miscategorised": (None, police(ANALYSIS & CASE_READ, record=False)),
    "insights:record_finding": ("episode", police(ANALYSIS & CASE_READ)),
    "api:insight-consistency": (None, police(ANALYSIS, record=False)),
    "api:insight-outcomes": (None, police(AGGREGATES, record=False)),
    "api:place": ("absent", absent()),
    "api:child": ("child", police()),
    "api:child-candidates": (None, police(record=False, ok=400)),  # needs a name to search
    "api:episodes": (None, police(record=False)),
    "api:episode": ("episode", police()),
    "api:episode-assessments": ("episode", police()),
    "api:assessment": ("assessment", police()),
    "api:assessment-ratify": ("assessment", post_only()),
    "api:assessment-decline": ("assessment", post_only()),
    "api:risk-recommend": (None, police(ALL_POLICE, ok=405, other=405)),  # names no child
    "api:episode-clock": ("episode", police()),
    "api:episode-reviews": ("episode", police()),
    "api:episode-handovers": ("episode", police()),
    "api:episode-allocate": ("episode", post_only()),
    "api:handover-accept": ("absent", post_only()),
    "api:handover-decline": ("absent", post_only()),
    "api:episode-actions": ("episode", police()),
    "api:action-assign": ("absent", post_only()),
    "api:action-complete": ("absent", post_only()),
    "api:action-cancel": ("absent", post_only()),
    "api:episode-enquiries": ("episode", police()),
    "api:episode-found": ("episode", post_only()),
    "api:episode-prevention-interview": ("episode", post_only()),
    "api:episode-prevention-waiver": ("episode", post_only()),
    "api:waiver-approve": ("absent", post_only()),
    "api:proposal-confirm": ("absent", post_only()),
    "api:proposal-reject": ("absent", post_only()),
    "api:return-home-interview": ("rhi", police()),
    "api:episode-close": ("episode", post_only()),
    "api:episode-withdraw": ("episode", post_only()),
    "api:queue-mine": (None, police(record=False)),
    "api:queue-supervisor": (None, police(RATIFY, record=False)),
    "api:queue-coordinator": (None, police(MARKER, record=False)),
    "api:notifications": (None, police(record=False)),
    "api:notification-acknowledge": ("absent_int", post_only()),
    "api:child-pattern": ("child", police()),
    "api:child-intelligence-links": ("child", police()),  # issue 14: police only
    # Writing intelligence (POST only; issue 14): a GET is 405 to those the read lets in.
    "api:intelligence-entities": (None, post_only()),
    "api:intelligence-entity-merge": ("absent", post_only()),
    "api:intelligence-suggestion-confirm": ("absent", post_only()),
    "api:intelligence-suggestion-dismiss": ("absent", post_only()),
    "api:episode-where-to-look": ("episode", police()),  # issue 14: police only
    "api:episode-searches": ("episode", police()),
    "api:intelligence-network": (None, police(CASE_READ | {"analyst"}, record=False)),
    "api:repeat-children": (None, police(record=False)),
    "api:child-strategy-meetings": ("child", police()),
    "api:strategy-meeting": ("absent", absent()),
    "api:strategy-meeting-action-complete": ("absent", post_only()),
    "api:child-trigger-plan": ("child", police()),
    "api:trigger-plan-review": ("absent", post_only()),
    "api:duplicate-suggestions": (None, police(MERGE, record=False)),
    "api:duplicate-suggestion-reject": ("absent_int", police(MERGE, ok=405)),
    "api:child-merges": (None, police(MERGE, record=False)),
    "api:child-merge-undo": ("absent_int", police(MERGE, ok=405)),
    # Analysis (ADR 0018): pseudonymised rows and counts, no identifiable record.
    "analysis:overview": (None, police(ANALYSIS, record=False)),
    "api:analysis-episodes": (None, police(ANALYSIS, record=False)),
    # Data quality (ADR 39): counts for the analysis roles; the fix list on the page is shown
    # only to those of them who may open the records.
    "insights:quality": (None, police(ANALYSIS, record=False)),
    "api:insight-quality": (None, police(ANALYSIS, record=False)),
    # The partner API
    "api:partner-children": (None, partner_api(set(PARTNERS))),
    "api:partner-child-episodes": ("child", partner_api()),
    "api:partner-episode": ("episode", partner_api()),
    "api:partner-return-interview": ("rhi", partner_api({"social_worker", "la_admin",
                                                         "rhi_worker"})),
    "api:partner-alerts": (None, partner_api(set(PARTNERS))),
    "api:partner-alert-acknowledge": ("alert", partner_api(set(PARTNERS), ok=405, others=405)),
    # Managing partner organisations through the API: force administrators only.
    "api:partner-organisations": (None, police(ORG_ADMIN, record=False)),
    "api:partner-organisation": ("organisation", police(ORG_ADMIN)),
    "api:partner-organisation-users": ("organisation", police(ORG_ADMIN, ok=405)),
    "api:partner-organisation-links": (None, police(ORG_ADMIN, record=False)),
    "api:partner-organisation-link-accept": ("absent", police(ORG_ADMIN, ok=405)),
    "api:partner-organisation-link-decline": ("absent", police(ORG_ADMIN, ok=405)),
    "api:partner-organisation-link-end": ("absent", police(ORG_ADMIN, ok=405)),
    "api:schema": (None, everyone(200)),
    "api:return-home-interview-addenda": ("rhi", post_only()),
    "api:partner-return-interview-addenda": ("rhi", partner_api(set(PARTNERS), ok=405,
                                                                others=405)),
    # Everyone's own account (ADR 0016, 0017): sign-in, second factor and API tokens. Steps
    # that change a factor first ask for the password again (302); pages about a factor the
    # user has not set up answer 404.
    "account_login": (None, everyone(302)),
    "account_logout": (None, everyone(405)),
    "account_reauthenticate": (None, everyone(200)),
    "mfa_index": (None, everyone(200)),
    "mfa_authenticate": (None, everyone(302)),
    "mfa_reauthenticate": (None, everyone(302)),
    "mfa_activate_totp": (None, everyone(302)),
    "mfa_deactivate_totp": (None, everyone(404)),
    "mfa_view_recovery_codes": (None, everyone(404)),
    "mfa_generate_recovery_codes": (None, everyone(302)),
    "mfa_download_recovery_codes": (None, everyone(404)),
    "mfa_list_webauthn": (None, everyone(200)),
    "mfa_add_webauthn": (None, everyone(302)),
    "mfa_reauthenticate_webauthn": (None, everyone(302)),
    "mfa_remove_webauthn": ("absent_int", everyone(302)),
    "mfa_edit_webauthn": ("absent_int", everyone(302)),
    "api_tokens:list": (None, everyone(200)),
    "api_tokens:new": (None, everyone(200)),
    "api_tokens:revoke": ("absent_int", everyone(405)),
    # Sign-in lockouts: force and partner administrators, for their own users (ADR 0016).
    "lockouts": (None, lambda who: 200 if who in {"force_admin", "la_admin"} else 403),
    "lockout_clear": (None, everyone(405)),
    # The access log: the data-protection lead only (ADR 0019), a role no user here holds.
    "audit:child": (None, police(set(), record=False)),
    "audit:user": (None, police(set(), record=False)),
    "api:?": ("nowhere", everyone(404)),
}
# Django's admin: staff only (nobody here is staff), every page redirects to its sign-in.
ADMIN = "admin/"


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name or '?'}"


def routes() -> list[tuple[str, str]]:
    return [(route, name) for route, name in _walk(get_resolver().url_patterns)
            if not route.startswith(ADMIN)]


def test_every_address_is_classified():
    names = {name for _, name in routes()}
    assert names - set(ROUTES) == set(), "classify the new addresses in ROUTES"
    assert set(ROUTES) - names == set(), "ROUTES names addresses that no longer exist"


# --- the data ---------------------------------------------------------------------------------

@pytest.fixture
def records(force, other_force, now, child_details):
    w = world(force=force, now=now, child_details=child_details)
    users = {}
    for role in POLICE:
        users[role] = user_create(username=f"m-{role}", password=PASSWORD, force=force,
                                  roles=[role], rank=RANKS.get(role, Rank.STAFF))
    users[OTHER_FORCE] = user_create(username="m-other-force", password=PASSWORD,
                                     force=other_force, roles=sorted(OTHER_FORCE_ROLES),
                                     rank=Rank.SERGEANT)
    for name in PARTNERS:
        users[name] = getattr(w.users, name)
    episode = graded_episode(actor=users["officer"], now=now - dt.timedelta(hours=2),
                             child=w.child, grader=users["officer"])
    found(actor=users["officer"], now=now, episode=episode, found_at=now - dt.timedelta(hours=1))
    alert = w.users.care_worker.notifications.first()
    marker = marker_add(actor=users["coordinator"], now=now, child=w.child, kind="self_harm",
                        source="police", active_from=now.date())
    associate = linked_associate(actor=users["officer"], now=now, child=w.child)
    kwargs = {
        "entity": {"pk": associate.pk},
        "marker": {"pk": w.child.pk, "marker_pk": marker.pk},
        "conflict": {"pk": w.child.pk, "field": "local_authority"},
        "absent_officer": {"unit": "officer", "unit_id": uuid.uuid4()},
        None: {}, "episode": {"pk": episode.pk}, "child": {"pk": w.child.pk},
        "assessment": {"pk": episode.assessments.get().pk},
        "rhi": {"pk": episode.return_home_interview.pk},
        "responsibility": {"pk": Responsibility.objects.filter(child=w.child).first().pk},
        "alert": {"pk": alert.pk}, "absent": {"pk": uuid.uuid4()}, "absent_int": {"pk": 987654},
        "organisation": {"pk": w.la.pk}, "partner_user": {"pk": w.users.social_worker.pk},
    }
    return users, kwargs


def address(name: str, kwargs: dict) -> str:
    if name == "api:?":
        return "/api/nowhere/"
    return reverse(name, kwargs=kwargs or None)


@pytest.mark.parametrize("who", USERS)
def test_access_matrix(records, client, who):
    users, kwargs = records
    client.force_login(users[who])
    wrong = []
    for _, name in routes():
        kind, rule = ROUTES[name]
        url = address(name, kwargs[kind] if kind != "nowhere" else {})
        expected = rule(who)
        status = client.get(url).status_code
        if status != expected:
            wrong.append(f"{name} {url}: {status}, expected {expected}")
    assert wrong == [], f"{who}:\n" + "\n".join(wrong)


def test_admin_is_for_staff_only(records, client):
    users, _ = records
    for who in ["force_admin", "la_admin"]:
        client.force_login(users[who])
        assert client.get("/admin/").status_code == 302

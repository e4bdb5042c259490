"""Who may call the API, and that nobody sees another force's records."""

import pytest
from rest_framework.test import APIClient

from mispers.accounts.models import AccessLog

from .helpers import case_rows, logged, refused, token_for


@pytest.fixture
def graded(episode, officer, assess):
    """An episode of this force with a downgrade waiting for ratification."""
    return assess(episode, officer, "low", rationale="Often stays at her sister's")


@pytest.fixture
def detail_urls(episode, graded):
    return [
        ("get", f"/api/v1/children/{episode.child_id}/"),
        ("get", f"/api/v1/episodes/{episode.pk}/"),
        ("get", f"/api/v1/episodes/{episode.pk}/assessments/"),
        ("post", f"/api/v1/episodes/{episode.pk}/assessments/"),
        ("get", f"/api/v1/assessments/{graded.pk}/"),
        ("post", f"/api/v1/assessments/{graded.pk}/ratify"),
        ("post", f"/api/v1/assessments/{graded.pk}/decline"),
    ]


LIST_URLS = ["/api/v1/children/", "/api/v1/episodes/", "/api/v1/episodes/?state=open"]


def call(client, method, url):
    body = {"answers": {}, "grade": "high", "note": "Not mine to decide"}
    return getattr(client, method)(url, body, format="json") if method == "post" else \
        client.get(url)


def test_another_forces_user_gets_404_for_every_detail_url(client_for, outsider, detail_urls):
    client = client_for(outsider)
    before = case_rows()
    for method, url in detail_urls:
        response = call(client, method, url)
        assert response.status_code == 404, (method, url, response.content)
        assert response.json() == {"detail": "Not found.", "field_errors": {}}
    assert case_rows() == before
    # Nothing was shown to them; each refused attempt is in the access log (DPA 2018 s.62).
    assert not AccessLog.objects.filter(user=outsider, outcome="shown").exists()
    assert AccessLog.objects.filter(user=outsider, outcome="refused").count() >= len(detail_urls)


def test_the_same_urls_work_for_this_forces_inspector(client_for, inspector, detail_urls):
    client = client_for(inspector)
    for method, url in detail_urls:
        if url.endswith("/decline"):
            continue  # ratified just before
        response = call(client, method, url)
        assert response.status_code in (200, 201), (method, url, response.content)


def test_another_forces_user_sees_empty_lists(client_for, outsider, graded):
    client = client_for(outsider)
    for url in LIST_URLS:
        body = client.get(url).json()
        assert (body["count"], body["results"]) == (0, []), url
    assert client.get("/api/v1/children/", {"q": "Amira"}).json()["count"] == 0


def test_this_forces_lists_show_the_rows(client_for, sergeant, graded):
    client = client_for(sergeant)
    for url in LIST_URLS:
        assert client.get(url).json()["count"] == 1, url


def test_anonymous_requests_get_401_asking_for_a_token(anonymous, detail_urls):
    for method, url in [*detail_urls, *(("get", url) for url in LIST_URLS),
                        ("post", "/api/v1/episodes/"), ("post", "/api/v1/children/")]:
        response = call(anonymous, method, url)
        assert response.status_code == 401, (method, url)
        assert response["WWW-Authenticate"] == "Token"
        refused(response, 401)


def test_users_without_a_police_role_get_403(client_for, make_user, force, detail_urls):
    no_roles = make_user(force=force, roles=[])
    client = client_for(no_roles)
    for method, url in [*detail_urls, *(("get", url) for url in LIST_URLS)]:
        response = call(client, method, url)
        assert response.status_code == 403, (method, url)
        assert refused(response, 403)["detail"] == (
            "You need an operational police role in a force to read case records.")


def test_a_user_with_roles_but_no_force_gets_403(client_for, make_user):
    forceless = make_user(force=None, roles=["officer"], rank="officer")
    assert client_for(forceless).get("/api/v1/episodes/").status_code == 403


def test_token_authentication(officer, episode):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(officer)}")
    response = client.get(f"/api/v1/episodes/{episode.pk}/")
    assert response.status_code == 200
    assert logged(officer, "episode") == [str(episode.pk)]
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert refused(client.get("/api/v1/episodes/"), 401)["detail"] == "Invalid token."


def test_token_clients_post_without_csrf(officer, episode):
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(officer)}")
    response = client.post(f"/api/v1/episodes/{episode.pk}/assessments/",
                           {"answers": {}, "grade": "high"}, format="json")
    assert response.status_code == 201, response.content


def test_session_writes_need_the_csrf_token(officer, episode):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(officer)
    before = case_rows()
    response = client.post(f"/api/v1/episodes/{episode.pk}/assessments/",
                           {"answers": {}, "grade": "high"}, format="json")
    assert "CSRF" in refused(response, 403)["detail"]
    assert case_rows() == before


@pytest.mark.parametrize("url", ["/api/v1/children/not-a-uuid/", "/api/v1/nothing/",
                                 "/api/v2/episodes/"])
def test_unknown_api_addresses_answer_json_404(client_for, officer, url):
    response = client_for(officer).get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "field_errors": {}}


def test_a_missing_record_of_this_force_is_404(client_for, officer, db):
    missing = "00000000-0000-4000-8000-000000000000"
    for url in (f"/api/v1/children/{missing}/", f"/api/v1/episodes/{missing}/",
                f"/api/v1/assessments/{missing}/"):
        assert refused(client_for(officer).get(url), 404)["detail"] == "Not found."


# --- clocks, reviews, ownership, actions, the return, notifications ----------------------------

@pytest.fixture
def case_work(episode, graded, call_handler, officer, sergeant, inspector, report, assess, now):
    """One of everything the clock, review and return endpoints act on, all in this force."""
    from mispers.casework.found import return_record
    from mispers.returns.services import prevention_interview_record, prevention_waiver_request
    from mispers.reviews.escalation import sweep
    from mispers.reviews.services import handover_request

    def found(given_name):
        child = report(officer, given_name=given_name)
        assess(child, officer, "medium")
        return_record(actor=officer, now=now, episode=child, found_at=now, found_where="Home",
                      found_by="own_accord", condition="safe_and_well")
        child.refresh_from_db()
        return child

    returned, excused = found("Returned"), found("Excused")
    prevention_interview_record(actor=officer, now=now, episode=returned, held_at=now,
                                where_child_was="x", why_left="x", child_account="x",
                                indicators=["trafficking"])
    waiver = prevention_waiver_request(actor=officer, now=now, episode=excused,
                                       reason="Moved away")
    handover = handover_request(actor=call_handler, now=now, episode=episode, to_user=officer)
    report(officer, reported_minutes_ago=150, given_name="Late")  # its review is overdue
    sweep(now=now)
    return {"episode": episode, "returned": returned, "excused": excused, "waiver": waiver,
            "handover": handover, "action": episode.actions.first(),
            "proposal": returned.marker_proposals.get(),
            "rhi": returned.return_home_interview,
            "notification": inspector.notifications.first()}


@pytest.fixture
def case_work_urls(case_work, officer, now):
    """(method, url, body): every new detail URL, with a body this force could send."""
    w, at = case_work, now.isoformat()
    e, r, x = w["episode"].pk, w["returned"].pk, w["excused"].pk
    return [
        ("get", f"/api/v1/episodes/{e}/clock/", None),
        ("get", f"/api/v1/episodes/{e}/reviews/", None),
        ("post", f"/api/v1/episodes/{e}/reviews/", {"notes": "Reviewed"}),
        ("get", f"/api/v1/episodes/{e}/handovers/", None),
        ("post", f"/api/v1/episodes/{e}/handovers/", {"to_user": str(officer.pk)}),
        ("post", f"/api/v1/handovers/{w['handover'].pk}/accept", None),
        ("post", f"/api/v1/handovers/{w['handover'].pk}/decline", {"note": "No"}),
        ("get", f"/api/v1/episodes/{e}/actions/", None),
        ("post", f"/api/v1/episodes/{e}/actions/", {"title": "Ring the school"}),
        ("post", f"/api/v1/actions/{w['action'].pk}/assign", {"assigned_to": str(officer.pk)}),
        ("post", f"/api/v1/actions/{w['action'].pk}/complete", {"result": "Done"}),
        ("get", f"/api/v1/episodes/{e}/enquiries/", None),
        ("post", f"/api/v1/episodes/{e}/enquiries/", {"occurred_at": at, "text": "Call"}),
        ("post", f"/api/v1/episodes/{e}/found", {
            "found_at": at, "found_where": "Home", "found_by": "police",
            "condition": "safe_and_well"}),
        ("post", f"/api/v1/episodes/{x}/prevention-interview/", {
            "held_at": at, "where_child_was": "x", "why_left": "x", "child_account": "x"}),
        ("post", f"/api/v1/episodes/{r}/prevention-waiver/", {"reason": "x"}),
        ("post", f"/api/v1/prevention-waivers/{w['waiver'].pk}/approve", None),
        ("post", f"/api/v1/marker-proposals/{w['proposal'].pk}/confirm", {"note": ""}),
        ("post", f"/api/v1/marker-proposals/{w['proposal'].pk}/reject", {"note": "No"}),
        ("get", f"/api/v1/return-home-interviews/{w['rhi'].pk}/", None),
        ("patch", f"/api/v1/return-home-interviews/{w['rhi'].pk}/", {"offered_at": at}),
        ("post", f"/api/v1/episodes/{r}/close", {}),
        ("post", f"/api/v1/episodes/{e}/withdraw", {"reason": "Made in error"}),
        ("post", f"/api/v1/notifications/{w['notification'].pk}/acknowledge", None),
    ]


def snapshot() -> dict:
    """Every row of every table these endpoints write, to show that nothing changed at all."""
    from mispers.episodes.models import Action, EnquiryEntry, Episode, TimelineEvent
    from mispers.people.models import Marker
    from mispers.returns.models import (
        FoundRecord,
        MarkerProposal,
        PreventionInterview,
        PreventionWaiver,
        ReturnHomeInterview,
    )
    from mispers.reviews.models import Deadline, Escalation, Handover, Notification, Review
    from mispers.risk.models import Assessment

    tables = (Episode, TimelineEvent, Assessment, Action, EnquiryEntry, Deadline, Review,
              Handover, Escalation, Notification, FoundRecord, PreventionInterview,
              PreventionWaiver, MarkerProposal, ReturnHomeInterview, Marker)
    return {model.__name__: sorted(map(repr, model.objects.values())) for model in tables}


def send(client, method, url, body):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, body, format="json") if body is not None else \
        getattr(client, method)(url)


def test_another_forces_user_gets_404_on_every_new_url_and_nothing_changes(
        client_for, outsider, case_work_urls):
    client = client_for(outsider)
    before = snapshot()
    for method, url, body in case_work_urls:
        response = send(client, method, url, body)
        assert response.status_code == 404, (method, url, response.content)
        assert response.json() == {"detail": "Not found.", "field_errors": {}}
    assert snapshot() == before
    assert not AccessLog.objects.filter(user=outsider, outcome="shown").exists()
    assert AccessLog.objects.filter(user=outsider, outcome="refused").exists()


def test_the_new_urls_need_a_signed_in_police_user(anonymous, client_for, make_user, force,
                                                   case_work_urls):
    no_roles = client_for(make_user(force=force, roles=[]))
    before = snapshot()
    for method, url, body in case_work_urls:
        response = send(anonymous, method, url, body)
        assert response.status_code == 401, (method, url)
        assert response["WWW-Authenticate"] == "Token"
        assert refused(send(no_roles, method, url, body), 403)["detail"] == (
            "You need an operational police role in a force to read case records.")
    assert snapshot() == before


def test_an_analyst_or_administrator_neither_reads_nor_changes_case_work(
        client_for, analyst, make_user, force, case_work_urls):
    # Least privilege (ADR 0018): identifiable records are for operational roles; the analyst
    # has the pseudonymised analysis API, the administrator the organisation pages.
    admin = make_user(force=force, roles=["force_admin"], username="admin")
    before = snapshot()
    for user in (analyst, admin):
        client = client_for(user)
        for method, url, body in case_work_urls:
            assert refused(send(client, method, url, body), 403)["detail"] == (
                "You need an operational police role in a force to read case records."), url
        assert not AccessLog.objects.filter(user=user, outcome="shown").exists()
    assert snapshot() == before


def test_the_same_new_urls_answer_this_forces_inspector(client_for, inspector, case_work_urls):
    # Not 404: the outsider's 404 is the force scoping, not a wrong address. (Some steps are
    # refused with 400 for reasons of their own, e.g. a handover addressed to someone else.)
    client = client_for(inspector)
    for method, url, body in case_work_urls:
        response = send(client, method, url, body)
        # 409: the step no longer fits the case (a late retry or a lost race, ADR 0020).
        assert response.status_code in (200, 201, 400, 409), (method, url, response.content)

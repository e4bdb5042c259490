"""Page tests: what a user sees, who may see it, and that page cost does not grow with history."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mispers.accounts.models import AccessLog
from mispers.casework.grade import assessment_record
from mispers.casework.report import episode_report
from mispers.episodes.models import Episode
from mispers.risk.models import Assessment
from mispers.risk.services import AnswerInput


def grade(episode, actor, now, chosen="medium", rationale="", **answers):
    return assessment_record(
        actor=actor, now=now, episode=episode, chosen_grade=chosen, rationale=rationale,
        answers={code: AnswerInput(answer=value) for code, value in answers.items()})


@pytest.fixture
def graded(episode, officer, now):
    grade(episode, officer, now, chosen="low", rationale="Always back by morning")
    return episode


def urls_for(episode):
    assessment = episode.assessments.first()
    return [
        reverse("episodes:detail", args=[episode.pk]),
        reverse("risk:assess", args=[episode.pk]),
        reverse("risk:assessment", args=[assessment.pk]),
        reverse("people:detail", args=[episode.child_id]),
        reverse("episodes:report") + f"?child={episode.child_id}",
    ]


def test_every_record_url_answers_404_to_another_force(client, graded, outsider):
    client.force_login(outsider)
    for url in urls_for(graded):
        assert client.get(url).status_code == 404, url
    preview = reverse("risk:assess_preview", args=[graded.pk])
    assert client.post(preview, {}).status_code == 404
    assert client.post(reverse("risk:assessment", args=[graded.assessments.first().pk]),
                       {"decision": "ratify"}).status_code == 404
    assert graded.assessments.first().status == Assessment.Status.PENDING


def test_other_force_lists_do_not_show_this_forces_records(client, graded, outsider):
    client.force_login(outsider)
    for url in [reverse("episodes:open"), reverse("risk:ratifications"),
                reverse("people:search") + "?q=Testchild",
                reverse("episodes:report") + "?q=Testchild"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert graded.reference not in response.content.decode()
        assert "Testchild" not in response.content.decode().replace("q=Testchild", "") \
            .replace('value="Testchild"', "")


def test_anonymous_is_sent_to_sign_in(client, graded):
    for url in [*urls_for(graded), reverse("episodes:open"), reverse("risk:ratifications")]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/"), url


def test_user_without_a_police_role_is_refused(client, graded, make_user, force):
    nobody = make_user(force=force, roles=[])
    client.force_login(nobody)
    assert client.get(reverse("episodes:open")).status_code == 403
    assert client.get(reverse("episodes:detail", args=[graded.pk])).status_code == 403


def test_analyst_and_admin_read_no_episode_nor_report_or_ratify(client, graded, make_user,
                                                                 force):
    # Identifiable records are for operational roles (ADR 0018).
    admin = make_user(force=force, roles=["force_admin"])
    client.force_login(admin)
    assert client.get(reverse("episodes:open")).status_code == 403
    assert client.get(reverse("episodes:detail", args=[graded.pk])).status_code == 403
    analyst = make_user(force=force, roles=["analyst"])
    client.force_login(analyst)
    assert client.get(reverse("episodes:open")).status_code == 403
    assert client.get(reverse("episodes:detail", args=[graded.pk])).status_code == 403
    assert client.get(reverse("episodes:report")).status_code == 403
    assert client.get(reverse("risk:assess", args=[graded.pk])).status_code == 403
    assert client.get(reverse("risk:ratifications")).status_code == 403


def test_episode_page_shows_grade_reasons_history_and_logs_the_view(client, graded, sergeant):
    client.force_login(sergeant)
    before = AccessLog.objects.count()
    page = client.get(reverse("episodes:detail", args=[graded.pk])).content.decode()
    assert graded.reference in page
    assert "Looked after and missing from their placement" in page or "placement" in page
    assert "Ratification requested" in page and "Risk assessed" in page
    assert "Until a sergeant or above ratifies it" in page
    log = AccessLog.objects.order_by("-id").first()
    assert AccessLog.objects.count() == before + 1
    assert (log.user, log.object_type, log.object_id) == (sergeant, "episode", str(graded.pk))
    assert log.child_id == graded.child_id


def test_child_page_is_logged(client, graded, officer):
    client.force_login(officer)
    client.get(reverse("people:detail", args=[graded.child_id]))
    log = AccessLog.objects.order_by("-id").first()
    assert (log.object_type, log.child_id) == ("child", graded.child_id)


def test_report_journey_with_plain_form_posts(client, call_handler, now):
    client.force_login(call_handler)
    data = {
        "new": "1",
        "child-given_name": "Jordan", "child-family_name": "Examplefield",
        "child-date_of_birth": "2012-02-03", "child-sex": "male",
        "child-ethnicity": "white_british",
        "child-observed_ethnicity": "white",
        "child-looked_after": "", "report-reported_at": "2026-03-14T10:00",
        "report-reported_by_name": "Parent One", "report-last_seen_at": "2026-03-14T07:30",
        "report-last_seen_where": "School gates", "report-missing_from": "home",
    }
    response = client.post(reverse("episodes:report"), data)
    assert response.status_code == 302
    episode = Episode.objects.get(child__family_name="Examplefield")
    assert response.url == reverse("risk:assess", args=[episode.pk])
    answers = {"preview": "1", "exploitation": "yes"}
    page = client.post(response.url, answers).content.decode()
    assert "Recommended grade" in page and "High" in page
    assert Assessment.objects.count() == 0  # a preview saves nothing
    record = client.post(response.url, {"exploitation": "yes", "grade": "high",
                                        "version": episode.version})
    assert record.status_code == 302
    episode.refresh_from_db()
    assert episode.current_grade == "high"


def test_report_form_errors_use_error_summary_and_save_nothing(client, call_handler):
    client.force_login(call_handler)
    data = {
        "new": "1", "child-given_name": "Old", "child-family_name": "Enough",
        "child-date_of_birth": "2000-01-01", "child-sex": "male",
        "child-ethnicity": "white_british",
        "child-observed_ethnicity": "white",
        "report-reported_at": "2026-03-14T10:00", "report-reported_by_name": "Parent",
        "report-last_seen_at": "2026-03-14T11:30", "report-last_seen_where": "Home",
        "report-missing_from": "home",
    }
    page = client.post(reverse("episodes:report"), data).content.decode()
    assert "govuk-error-summary" in page
    assert Episode.objects.count() == 0


def test_downgrade_without_rationale_shows_error(client, episode, officer):
    client.force_login(officer)
    url = reverse("risk:assess", args=[episode.pk])
    page = client.post(url, {"grade": "no_apparent_risk", "version": episode.version})
    assert page.status_code == 200
    assert "govuk-error-summary" in page.content.decode()
    assert Assessment.objects.count() == 0


def test_ratification_by_too_low_rank_is_refused_in_page(client, episode, officer, sergeant, now):
    a = grade(episode, officer, now, chosen="medium", rationale="Historic concern",
              exploitation="yes")
    client.force_login(sergeant)
    assert a.pk not in [x.pk for x in client.get(reverse("risk:ratifications"))
                        .context["pending"]]
    page = client.post(reverse("risk:assessment", args=[a.pk]), {"decision": "ratify"})
    assert "inspector" in page.content.decode()
    a.refresh_from_db()
    assert a.status == Assessment.Status.PENDING


def test_ratifying_in_the_page_needs_a_reason(client, episode, officer, sergeant, now):
    a = grade(episode, officer, now, chosen="low", rationale="Returns every night by 11pm")
    client.force_login(sergeant)
    url = reverse("risk:assessment", args=[a.pk])
    page = client.post(url, {"decision": "ratify", "note": ""})
    text = page.content.decode()
    assert page.status_code == 200 and "govuk-error-summary" in text
    assert "Say why the grade is ratified" in text
    a.refresh_from_db()
    assert a.status == Assessment.Status.PENDING
    assert client.post(url, {"decision": "ratify", "note": "Carer confirms the pattern"}
                       ).status_code == 302
    a.refresh_from_db()
    assert (a.status, a.ratification_note) == (Assessment.Status.RATIFIED,
                                               "Carer confirms the pattern")


def _many_episodes(n, *, actor, now, report_details, child):
    for i in range(n):
        e = episode_report(actor=actor, now=now, child=child, details=report_details(
            reported_at=now - dt.timedelta(hours=i + 1),
            last_seen_at=now - dt.timedelta(hours=i + 2)))
        grade(e, actor, now)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_open_list_queries_do_not_grow_with_episodes(client, episode, officer, now,
                                                     report_details):
    client.force_login(officer)
    _many_episodes(3, actor=officer, now=now, report_details=report_details, child=episode.child)
    small = count_queries(client, reverse("episodes:open"))
    _many_episodes(30, actor=officer, now=now, report_details=report_details,
                   child=episode.child)
    assert count_queries(client, reverse("episodes:open")) == small


def test_episode_page_queries_do_not_grow_with_assessments(client, episode, officer, now):
    client.force_login(officer)
    grade(episode, officer, now)
    url = reverse("episodes:detail", args=[episode.pk])
    small = count_queries(client, url)
    for i in range(12):
        grade(episode, officer, now + dt.timedelta(minutes=i), chosen="high")
    assert count_queries(client, url) == small

"""Partner pages as plain form posts: the home list, the child page (released fields only),
the profile with its photo, reporting missing; 404 for anything outside the organisation's
children; police pages refuse partner users; the police side shows partners and the profile."""

import datetime as dt
import html
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from PIL import Image

from mispers.accounts.models import AccessLog
from mispers.casework.partner_report import partner_report_submit
from mispers.core.testing import page_text
from mispers.episodes.models import Episode
from mispers.partners import services
from mispers.partners.models import PhilomenaProfile

pytestmark = pytest.mark.usefixtures("frozen_clock")
DAY = dt.timedelta(days=1)
SCRIPT = '<script>alert("x")</script>'


def text(response) -> str:
    return html.unescape(response.content.decode())


def signed_in(client, user):
    client.force_login(user)
    return client


def jpeg(size=(1200, 900)):
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, format="JPEG")
    return SimpleUploadedFile("me.jpg", out.getvalue(), content_type="image/jpeg")


def profile_post(**overrides):
    data = {"physical_description": "Tall, red hair", "friends_and_associates": SCRIPT,
            "places_frequented": "Hoe park", "medical_needs": "", "medication": "",
            "phone": "07700 900123", "social_media": "", "transport": "Buses",
            "other_information": "", "review_period_days": "90", "photo_taken_on": ""}
    data.update(overrides)
    return data


def test_partner_lands_on_the_partner_home_after_sign_in(client, carer):
    response = client.post("/login/", {"login": "carer", "password": "correct-horse-battery"},
                           follow=True)
    assert response.redirect_chain[-1][0] == "/partners/"
    assert "Your children" in text(response)
    assert "Oakview House" in text(response)  # the organisation in the header


def test_police_user_gets_404_for_partner_pages(client, officer, placed):
    signed_in(client, officer)
    for url in ("/partners/", f"/partners/children/{placed.pk}/",
                f"/partners/children/{placed.pk}/profile/",
                f"/partners/children/{placed.pk}/report/"):
        assert client.get(url).status_code == 404, url


# Pages every signed-in user has: sign in and out, and their own account under account/ (password,
# second factor, API tokens). The lockout pages are for administrators and stay in the walk.
ACCOUNT_PAGES = {"", "login/", "logout/"}


def _own_account_page(pattern: str) -> bool:
    return pattern.startswith("account/") and not pattern.startswith("account/lockouts/")


def _police_urls(child, episode):
    """Every page route outside partners/, admin/ and api/, with real ids where they fit."""
    for ns, pattern in _walk(get_resolver().url_patterns):
        if (ns in {"partners", "admin", "api"} or pattern in ACCOUNT_PAGES
                or _own_account_page(pattern)):
            continue
        url = "/" + pattern
        url = url.replace("<uuid:pk>", str(episode.pk if url.startswith("/episodes/")
                                           else child.pk if url.startswith("/children/")
                                           else uuid.uuid4()))
        yield url.replace("<int:pk>", "1")


def _walk(patterns, prefix="", ns=None):
    for p in patterns:
        if hasattr(p, "url_patterns"):
            yield from _walk(p.url_patterns, prefix + str(p.pattern), p.namespace or ns)
        else:
            yield ns, prefix + str(p.pattern)


def test_partner_user_is_refused_every_police_page(client, social_worker, placed, report_at,
                                                   now):
    episode = report_at(placed, now - DAY)
    signed_in(client, social_worker)
    urls = list(_police_urls(placed, episode))
    assert len(urls) > 20
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (403, 404, 405), (method, url,
                                                              response.status_code)
    assert client.get("/api/v1/episodes/").status_code in (403, 404)
    assert client.get(f"/api/v1/children/{placed.pk}/").status_code in (403, 404)


def test_home_lists_the_caseload_with_status_and_stale_profile(client, placed, carer, now,
                                                              part2, profile_details,
                                                              looked_after):
    services.profile_save(actor=carer, now=now, child=placed,
                          details=profile_details(review_period_days=7))
    partner_report_submit(actor=carer, now=now, child=placed, part2=part2())
    signed_in(client, carer)
    page = text(client.get("/partners/"))
    assert "Jade Placed" in page and "Missing now" in page
    assert "Up to date" in page and "Review due" not in page
    assert AccessLog.objects.filter(user=carer, object_type="child", child_id=placed.pk,
                                    path="/partners/").count() == 1

    import time_machine
    with time_machine.travel(now + 8 * DAY, tick=False):
        signed_in(client, carer)  # a new shift, a new session
        page = text(client.get("/partners/"))
    assert "Review due" in page


def test_home_query_count_does_not_grow_with_the_caseload(client, carer, home, coordinator,
                                                         child_details, now, report_at):
    from mispers.casework.children import child_create

    def add_children(n):
        for i in range(n):
            child = child_create(actor=coordinator, now=now, force=coordinator.force,
                                 details=child_details(given_name=f"Kid{i}",
                                                       family_name=f"Count{i}"))
            services.responsibility_start(actor=coordinator, now=now, child=child,
                                          organisation=home, kind="home",
                                          starts_on=now.date() - 30 * DAY)
            if i % 2:
                report_at(child, now - DAY * (i % 5 + 1))

    signed_in(client, carer)
    add_children(3)
    client.get("/partners/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/partners/").status_code == 200
    add_children(30)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/partners/")
    assert "33 children" in text(response)
    assert len(many) == len(few), [q["sql"][:120] for q in many]


def test_child_page_shows_released_fields_only_and_escapes_markup(client, placed, carer, now,
                                                                 report_at, coordinator,
                                                                 profile_details):
    from mispers.casework.grade import assessment_record
    from mispers.people.services import marker_add

    marker_add(actor=coordinator, now=now, child=placed, kind="exploitation", subtype="criminal",
               active_from=now.date(), note="Intel: linked to county line")
    episode = report_at(placed, now - DAY)
    assessment_record(actor=episode.owner, now=now - DAY, episode=episode, answers={},
                      chosen_grade="low", rationale="Rationale kept by police only")
    services.profile_save(actor=carer, now=now, child=placed,
                          details=profile_details(friends_and_associates=SCRIPT))
    signed_in(client, carer)
    response = client.get(f"/partners/children/{placed.pk}/")
    raw = response.content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in raw
    assert SCRIPT not in raw
    page = text(response)
    assert episode.reference in page and "Missing" in page
    for secret in ("county line", "Exploitation", "Rationale kept by police only", "Low",
                   "Outside the placement", "Asian"):
        assert secret not in page, secret
    log = AccessLog.objects.get(user=carer, object_type="child")
    assert log.child_id == placed.pk and log.force_id is None


def test_other_organisations_get_404_everywhere(client, placed, stranger, carer, now,
                                                profile_details):
    profile = services.profile_save(actor=carer, now=now, child=placed,
                                    details=profile_details(), photo=jpeg())
    signed_in(client, stranger)
    for url in (f"/partners/children/{placed.pk}/", f"/partners/children/{placed.pk}/profile/",
                f"/partners/children/{placed.pk}/report/", f"/partners/photos/{profile.pk}/",
                f"/partners/children/{uuid.uuid4()}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/partners/children/{placed.pk}/report/", {}).status_code == 404
    assert not AccessLog.objects.filter(user=stranger, object_type="child",
                                        outcome="shown").exists()
    # Each refused attempt on the child's record is logged (ADR 0019).
    assert AccessLog.objects.filter(user=stranger, child_id=placed.pk,
                                    outcome="refused").count() == 5


def test_profile_page_saves_text_and_photo(client, placed, carer):
    signed_in(client, carer)
    assert client.get(f"/partners/children/{placed.pk}/profile/").status_code == 200
    response = client.post(f"/partners/children/{placed.pk}/profile/",
                           profile_post(photo=jpeg()))
    assert response.status_code == 302
    profile = PhilomenaProfile.objects.get(child=placed)
    assert profile.friends_and_associates == SCRIPT and profile.photo
    photo = client.get(f"/partners/photos/{profile.pk}/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert "no-store" in photo["Cache-Control"]
    with Image.open(io.BytesIO(b"".join(photo.streaming_content))) as image:
        assert image.size == (800, 600)


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("x.jpg", b"GIF89a not really"), "must be a photo"),
    (SimpleUploadedFile("x.jpg", b"\x00" * (5 * 1024 * 1024 + 10)), "smaller than 5 MB"),
])
def test_bad_photo_shows_the_error_summary_and_saves_nothing(client, placed, carer, upload,
                                                            message):
    signed_in(client, carer)
    response = client.post(f"/partners/children/{placed.pk}/profile/",
                           profile_post(photo=upload))
    page = text(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "<title>Error: " in page
    assert message in page and 'href="#id_photo"' in page
    assert not PhilomenaProfile.objects.exists()


def test_rhi_worker_may_see_but_not_keep_the_profile(client, placed, rhi_worker, rhi_provider,
                                                     coordinator, now):
    services.responsibility_start(actor=coordinator, now=now, child=placed,
                                  organisation=rhi_provider, kind="rhi_provider",
                                  starts_on=now.date())
    signed_in(client, rhi_worker)
    assert client.get(f"/partners/children/{placed.pk}/").status_code == 200
    assert client.get(f"/partners/children/{placed.pk}/profile/").status_code == 403
    assert client.get(f"/partners/children/{placed.pk}/report/").status_code == 403


def test_report_missing_page_creates_the_police_report(client, placed, carer, now,
                                                       profile_details, call_handler):
    services.profile_save(actor=carer, now=now, child=placed, details=profile_details())
    signed_in(client, carer)
    url = f"/partners/children/{placed.pk}/report/"
    assert "Report Jade missing" in text(client.get(url))
    response = client.post(url, {
        "last_seen_at": (now - 2 * dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "last_seen_where": "Bus stop on Union Street", "clothing": "Red hoodie",
        "circumstances": "", "actions_taken": "Rang her friends", "reporter_phone": ""},
        follow=True)
    episode = Episode.objects.get(child=placed)
    assert episode.reference in text(response)
    assert "Report Jade missing" not in text(response)  # no second report while missing

    # The call handler's view: the partner box, the pre-filled fields and the profile.
    client.force_login(call_handler)
    page = text(client.get(reverse("episodes:detail", args=[episode.pk])))
    assert "Reported by partner" in page and "Oakview House" in page
    assert "Philomena profile (part 1)" in page and "Part 2 (when missing)" in page
    assert "Drake Circus" in page and "Salbutamol" in page
    assert client.get(reverse("risk:assess", args=[episode.pk])).status_code == 200


def test_report_page_shows_errors(client, placed, carer):
    signed_in(client, carer)
    response = client.post(f"/partners/children/{placed.pk}/report/",
                           {"last_seen_at": "", "last_seen_where": ""})
    page = text(response)
    assert "govuk-error-summary" in page
    assert not Episode.objects.exists()


def test_police_child_page_shows_partners_and_the_profile(client, placed, carer, coordinator,
                                                         officer, now, profile_details,
                                                         new_home):
    services.profile_save(actor=carer, now=now, child=placed,
                          details=profile_details(friends_and_associates=SCRIPT))
    client.force_login(officer)
    page = text(client.get(reverse("people:detail", args=[placed.pk])))
    assert "Partners responsible" in page and "Oakview House" in page
    assert "Plymouth Children's Services" in page and "Salbutamol" in page
    assert "Add a partner responsibility" not in page  # an officer cannot set them
    assert SCRIPT not in page_text(client.get(reverse("people:detail", args=[placed.pk])),
                                   raw=True)

    client.force_login(coordinator)
    url = reverse("partners:responsibility_add", args=[placed.pk])
    assert "Add a partner responsibility" in text(client.get(
        reverse("people:detail", args=[placed.pk])))
    response = client.post(url, {"organisation": str(new_home.pk), "kind": "home",
                                 "starts_on": now.date().isoformat(), "note": ""})
    assert response.status_code == 302
    assert services.may_set_responsibility  # the page went through the service
    from mispers.partners.selectors import partner_access
    assert partner_access(user=carer, child=placed, on=now.date()) == "former"


def test_police_of_another_force_cannot_see_the_photo_or_panel_pages(client, placed, carer,
                                                                     outsider, now, officer,
                                                                     profile_details):
    profile = services.profile_save(actor=carer, now=now, child=placed,
                                    details=profile_details(), photo=jpeg())
    client.force_login(outsider)
    assert client.get(f"/partners/photos/{profile.pk}/").status_code == 404
    assert client.get(reverse("partners:responsibility_add",
                              args=[placed.pk])).status_code == 404
    client.force_login(officer)
    assert client.get(f"/partners/photos/{profile.pk}/").status_code == 200


def test_former_home_sees_its_own_time_only(client, placed, carer, new_home, new_carer,
                                            coordinator, now, report_at):
    before = report_at(placed, now - 20 * DAY)
    services.responsibility_start(actor=coordinator, now=now, child=placed,
                                  organisation=new_home, kind="home",
                                  starts_on=now.date() - 10 * DAY)
    after = report_at(placed, now - 2 * DAY)
    signed_in(client, carer)
    # Off the caseload (an alert from its own time may still be listed by the alerts panel).
    assert "0 children your organisation is responsible for" in text(client.get("/partners/"))
    page = text(client.get(f"/partners/children/{placed.pk}/"))
    assert "no longer responsible" in page
    assert before.reference in page and after.reference not in page
    assert "Report Jade missing" not in page
    for url in (f"/partners/children/{placed.pk}/profile/",
                f"/partners/children/{placed.pk}/report/"):
        assert client.get(url).status_code == 404, url
    signed_in(client, new_carer)
    page = text(client.get(f"/partners/children/{placed.pk}/"))
    assert after.reference in page and before.reference not in page


def test_home_shows_found_and_the_interview_clock(client, placed, carer, report_at, now):
    from mispers.casework.found import return_record
    from mispers.casework.grade import assessment_record

    episode = report_at(placed, now - 2 * DAY)
    assessment_record(actor=episode.owner, now=now - 2 * DAY, episode=episode, answers={},
                      chosen_grade="high")
    found_at = now - DAY
    return_record(actor=episode.owner, now=found_at, episode=episode, found_at=found_at,
                  found_where="Bus station", found_by="police", condition="safe_and_well")
    signed_in(client, carer)
    page = text(client.get("/partners/"))
    assert "Found" in page and "Missing now" not in page
    # Due 72 hours after the return (GMT in March, so the local time reads the same).
    assert (found_at + 3 * DAY).strftime("%-d %b %Y, %H:%M") in page

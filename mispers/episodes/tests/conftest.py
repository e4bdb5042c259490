"""Fixtures shared by the episode tests."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from mispers.casework.children import child_create
from mispers.casework.report import episode_report
from mispers.partners import services as partner_services
from mispers.partners.models import PhilomenaProfile
from mispers.partners.photos import photo_prepare
from mispers.people.services import marker_add


def photo():
    out = io.BytesIO()
    Image.new("RGB", (60, 80), (90, 120, 200)).save(out, format="JPEG")
    return photo_prepare(SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg"))


@pytest.fixture
def known(force, call_handler, sergeant, now, child_details, report_details, make_user):
    """A known child: two episodes (one open), an exploitation marker, a profile photo."""
    child = child_create(actor=call_handler, now=now, force=force, details=child_details(
        given_name="Harriet", family_name="Rowe", date_of_birth=dt.date(2010, 4, 2),
        placement_address="20 Church Road, Exeter"))
    episode_report(actor=call_handler, now=now - dt.timedelta(days=40), child=child,
                   details=report_details(reported_at=now - dt.timedelta(days=40, minutes=5),
                                          last_seen_at=now - dt.timedelta(days=40, hours=2)))
    open_one = episode_report(actor=call_handler, now=now, child=child, details=report_details())
    marker_add(actor=sergeant, now=now, child=child, kind="exploitation", subtype="criminal",
               active_from=now.date() - dt.timedelta(days=3))
    home = partner_services.organisation_create(
        actor=make_user(force=force, roles=["coordinator"], rank="sergeant"), now=now,
        name="Church Road Home", kind="care_provider", forces=[force], email="h@example.org")
    profile = PhilomenaProfile(child=child, organisation=home, last_reviewed_at=now,
                               last_reviewed_by=sergeant, photo_taken_on=now.date())
    profile.photo.save("p.jpg", photo(), save=False)
    profile.stamp(actor=sergeant, now=now)
    profile.save()
    return child, open_one, profile

"""Philomena photos are not kept once replaced or removed, and are stored owner-only (issue 9).

Stored on a real file system under a temporary MEDIA_ROOT, so the file modes and deletions are
the ones a server would see."""

import io
import os
import stat

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from mispers.partners import services
from mispers.partners.models import PhilomenaProfile

pytestmark = pytest.mark.django_db


def jpeg(colour=(10, 120, 200)):
    out = io.BytesIO()
    Image.new("RGB", (400, 300), colour).save(out, format="JPEG")
    return SimpleUploadedFile("me.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def disk(tmp_path, settings):
    """The photo field's storage on a real folder for the test (the test settings keep files in
    memory)."""
    settings.MEDIA_ROOT = str(tmp_path)
    field = PhilomenaProfile._meta.get_field("photo")
    original = field.storage
    field.storage = FileSystemStorage(location=str(tmp_path))
    yield tmp_path
    field.storage = original


def files(root) -> set[str]:
    folder = root / "philomena"
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def save(carer, now, child, details, photo=None, remove=False, capture=None):
    with capture(execute=True):
        return services.profile_save(actor=carer, now=now, child=child, details=details,
                                     photo=photo, remove_photo=remove)


def test_a_replaced_photo_is_deleted_from_storage(disk, placed, carer, now, profile_details,
                                                  django_capture_on_commit_callbacks):
    first = save(carer, now, placed, profile_details(), jpeg(),
                 capture=django_capture_on_commit_callbacks)
    old = os.path.basename(first.photo.name)
    assert files(disk) == {old}
    second = save(carer, now, placed, profile_details(), jpeg((200, 10, 10)),
                  capture=django_capture_on_commit_callbacks)
    assert files(disk) == {os.path.basename(second.photo.name)} and old not in files(disk)


def test_a_removed_photo_is_deleted_and_the_profile_has_none(
        disk, placed, carer, now, profile_details, django_capture_on_commit_callbacks):
    profile = save(carer, now, placed, profile_details(), jpeg(),
                   capture=django_capture_on_commit_callbacks)
    assert files(disk)
    profile = save(carer, now, placed, profile_details(), remove=True,
                   capture=django_capture_on_commit_callbacks)
    assert not profile.photo and profile.photo_taken_on is None
    assert files(disk) == set()


def test_a_photo_another_profile_still_shows_is_kept(
        disk, placed, carer, social_worker, now, profile_details,
        django_capture_on_commit_callbacks):
    """The placing authority's new profile starts from the home's photo: the home replacing its
    own photo must not delete the file the council's profile still shows."""
    home_profile = save(carer, now, placed, profile_details(), jpeg(),
                        capture=django_capture_on_commit_callbacks)
    shared = home_profile.photo.name
    council = save(social_worker, now, placed, profile_details(),
                   capture=django_capture_on_commit_callbacks)
    assert council.photo.name == shared
    save(carer, now, placed, profile_details(), jpeg((0, 0, 0)),
         capture=django_capture_on_commit_callbacks)
    assert os.path.basename(shared) in files(disk)


def test_photos_and_their_folder_are_owner_only(disk, placed, carer, now, profile_details,
                                                django_capture_on_commit_callbacks):
    profile = save(carer, now, placed, profile_details(), jpeg(),
                   capture=django_capture_on_commit_callbacks)
    path = disk / profile.photo.name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((disk / "philomena").stat().st_mode) == 0o700


def test_the_profile_page_removes_the_photo(disk, placed, carer, now, profile_details, client,
                                            django_capture_on_commit_callbacks):
    import datetime as dt

    import time_machine
    from django.urls import reverse

    save(carer, now, placed, profile_details(), jpeg(), capture=django_capture_on_commit_callbacks)
    client.force_login(carer)
    path = reverse("partners:profile_edit", args=[placed.pk])
    data = {name: getattr(profile_details(), name) for name in (
        "physical_description", "friends_and_associates", "places_frequented", "medical_needs",
        "medication", "phone", "social_media", "transport", "other_information")}
    with time_machine.travel(now + dt.timedelta(minutes=1), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        assert "remove_photo" in client.get(path).content.decode()
        response = client.post(path, {**data, "review_period_days": 90, "remove_photo": "on"})
    assert response.status_code == 302
    assert files(disk) == set()
    assert not PhilomenaProfile.objects.get(child=placed, organisation=carer.organisation).photo


def test_photos_prune_deletes_files_no_profile_shows(disk, placed, carer, now, profile_details,
                                                     django_capture_on_commit_callbacks):
    """Files replaced before deletion existed (or left by a failed save) are pruned; the photo a
    profile shows and a file written moments ago are kept."""
    import datetime as dt

    from django.core.management import call_command

    from mispers.partners.photos import photos_prune

    profile = save(carer, now, placed, profile_details(), jpeg(),
                   capture=django_capture_on_commit_callbacks)
    folder = disk / "philomena"
    (folder / "old-replaced.jpg").write_bytes(b"x")
    assert photos_prune(now=dt.datetime.now(dt.UTC)) == []  # too new to be sure
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    assert photos_prune(now=later, dry_run=True) == ["philomena/old-replaced.jpg"]
    assert (folder / "old-replaced.jpg").exists()
    assert photos_prune(now=later) == ["philomena/old-replaced.jpg"]
    assert files(disk) == {os.path.basename(profile.photo.name)}
    call_command("photos_prune", "--dry-run")  # the command runs

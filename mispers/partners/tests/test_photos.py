"""Profile photos: only real JPEG, PNG or WebP images under 5 MB; resized; metadata stripped;
a bad file leaves the profile as it was."""

import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from mispers.partners import services
from mispers.partners.models import PhilomenaProfile
from mispers.partners.photos import MAX_SIDE, PhotoInvalid, photo_prepare


def stored_files() -> set[str]:
    """Files under philomena/ in the default storage (in memory in tests, MEDIA_ROOT live)."""
    try:
        return set(default_storage.listdir("philomena")[1])
    except FileNotFoundError:
        return set()


def image_file(fmt="JPEG", size=(2000, 1500), name="photo.jpg", exif=True, mode="RGB"):
    image = Image.new(mode, size, (200, 80, 40) if mode == "RGB" else (200, 80, 40, 128))
    out = io.BytesIO()
    kwargs = {}
    if exif and fmt == "JPEG":
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x0131] = "Carer's phone"  # Software
        data[0x8825] = {1: "N", 2: (50.0, 22.0, 0.0)}  # GPS: latitude
        kwargs["exif"] = data.tobytes()
    image.save(out, format=fmt, **kwargs)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def test_jpeg_is_resized_and_its_exif_stripped():
    upload = image_file()
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif()  # the test file really carries EXIF
    upload.seek(0)
    prepared = photo_prepare(upload)
    with Image.open(io.BytesIO(prepared.read())) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == MAX_SIDE
        assert stored.size == (800, 600)  # proportions kept
        assert not stored.getexif()
        assert "exif" not in stored.info
    assert prepared.name.endswith(".jpg") and "photo" not in prepared.name


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted(fmt):
    prepared = photo_prepare(image_file(fmt=fmt, size=(300, 200), mode="RGBA", exif=False,
                                        name=f"x.{fmt.lower()}"))
    with Image.open(io.BytesIO(prepared.read())) as stored:
        assert stored.format == "JPEG" and stored.size == (300, 200)  # small ones not enlarged


def test_not_an_image_is_refused():
    with pytest.raises(PhotoInvalid, match="must be a photo"):
        photo_prepare(SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>" * 10))


def test_truncated_image_is_refused():
    data = image_file().read()
    with pytest.raises(PhotoInvalid, match="must be a photo"):
        photo_prepare(SimpleUploadedFile("photo.jpg", data[: len(data) // 3]))


def test_other_image_formats_are_refused():
    with pytest.raises(PhotoInvalid, match="JPEG, PNG or WebP"):
        photo_prepare(image_file(fmt="GIF", size=(50, 50), exif=False, name="x.gif"))


def test_too_large_is_refused_with_the_size():
    big = SimpleUploadedFile("photo.jpg", b"\xff" * (5 * 1024 * 1024 + 1))
    with pytest.raises(PhotoInvalid, match=r"smaller than 5 MB \(this one is 5.0 MB\)"):
        photo_prepare(big)


def test_empty_file_is_refused():
    with pytest.raises(PhotoInvalid, match="empty"):
        photo_prepare(SimpleUploadedFile("photo.jpg", b""))


def test_profile_stores_the_prepared_photo_in_the_default_storage(placed, carer, now,
                                                                  profile_details):
    profile = services.profile_save(actor=carer, now=now, child=placed,
                                    details=profile_details(), photo=image_file())
    assert profile.photo.name.startswith("philomena/")
    assert default_storage.exists(profile.photo.name)
    with default_storage.open(profile.photo.name) as handle, Image.open(handle) as stored:
        assert stored.size == (800, 600) and not stored.getexif()
    # Saving again without a photo keeps it.
    again = services.profile_save(actor=carer, now=now, child=placed, details=profile_details())
    assert again.photo.name == profile.photo.name


def test_bad_photo_leaves_the_profile_as_it_was(placed, carer, now, profile_details):
    before = stored_files()
    with pytest.raises(PhotoInvalid) as err:
        services.profile_save(actor=carer, now=now, child=placed, details=profile_details(),
                              photo=SimpleUploadedFile("x.jpg", b"not an image"))
    assert err.value.field == "photo"
    assert not PhilomenaProfile.objects.exists()
    assert stored_files() == before


def test_a_truncated_image_is_refused_after_the_deep_dive_was_made(force, now, db):
    """WeasyPrint (the deep-dive PDF) turns Pillow's LOAD_TRUNCATED_IMAGES on when imported:
    photo uploads in the same process must still refuse a truncated file."""
    from mispers.insights.deep_dive import deep_dive_pdf
    from mispers.insights.period import Period

    deep_dive_pdf(force=force, period=Period(first=now.date() - dt.timedelta(days=30),
                                             last=now.date()), now=now)
    import weasyprint  # noqa: F401  (imported again: nothing may have switched it back since)
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True  # as the import left it the first time
    data = image_file().read()
    with pytest.raises(PhotoInvalid, match="must be a photo"):
        photo_prepare(SimpleUploadedFile("photo.jpg", data[: len(data) // 3]))

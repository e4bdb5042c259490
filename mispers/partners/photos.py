"""Photos for the Philomena profile: check the upload really is a JPEG, PNG or WebP image, then
re-encode it at a bounded size. Re-encoding from pixels drops everything else the file carried
(EXIF with GPS position and camera serial, ICC profiles, comments, trailing data), so what is
stored is only the picture. Photos are stored under MEDIA_ROOT and served only through
`partners:photo`, which checks access: never as public files."""

import datetime as dt
import io
import uuid

from django.core.files.base import ContentFile
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from mispers.core.errors import DomainError

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 800
MAX_PIXELS = 40_000_000  # refuse decompression bombs well before Pillow's own limit
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


class PhotoInvalid(DomainError):
    field = "photo"


def photo_prepare(upload) -> ContentFile:
    """Validate an uploaded file and return the re-encoded JPEG to store, or raise PhotoInvalid.
    `upload` is a Django UploadedFile (or any file-like object with a size)."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > MAX_BYTES:
        raise PhotoInvalid(f"The photo must be smaller than 5 MB (this one is "
                           f"{size / 1024 / 1024:.1f} MB)")
    if size == 0:
        raise PhotoInvalid("The selected file is empty")
    upload.seek(0)
    data = upload.read()
    # A truncated file is not a photo. Pillow refuses one unless LOAD_TRUNCATED_IMAGES is set,
    # a process-wide switch another library may turn on (WeasyPrint does, on import): put it
    # back to Pillow's default, the only setting this project uses.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()  # checks the file's structure without decoding every pixel
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as exc:
        raise PhotoInvalid("The selected file must be a photo (JPEG, PNG or WebP)") from exc
    if image_format not in ACCEPTED_FORMATS:
        raise PhotoInvalid("The photo must be a JPEG, PNG or WebP image")
    if width * height > MAX_PIXELS:
        raise PhotoInvalid("The photo is too large: use one under 40 megapixels")
    try:
        # verify() leaves the image unusable: open it again to decode the pixels.
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)  # keep it upright once EXIF is gone
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise PhotoInvalid("The selected file must be a photo (JPEG, PNG or WebP)") from exc
    # A random name: nothing about the child or the original file name is in the path.
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def photos_prune(*, now, storage=None, dry_run: bool = False,
                 min_age=dt.timedelta(hours=1)) -> list[str]:
    """Delete photo files under philomena/ that no profile shows any more (replaced or removed
    before photo_discard existed, or left by a save that failed after the file was written).
    Files younger than `min_age` are left alone: a profile being saved now may be about to use
    one. Returns the names deleted (or that would be, with `dry_run`)."""
    from .models import PhilomenaProfile

    storage = storage or PhilomenaProfile._meta.get_field("photo").storage
    try:
        names = storage.listdir("philomena")[1]
    except FileNotFoundError:
        return []
    in_use = {name.rsplit("/", 1)[-1] for name in PhilomenaProfile.objects.exclude(photo="")
              .values_list("photo", flat=True)}
    orphans = sorted(f"philomena/{name}" for name in names if name not in in_use
                     and storage.get_modified_time(f"philomena/{name}") <= now - min_age)
    if not dry_run:
        for name in orphans:
            storage.delete(name)
    return orphans

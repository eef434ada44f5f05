"""Buyers' photos of a return request (what arrived broken, wrong or missing).

A photo is checked before anything is saved — JPEG, PNG or WebP by its content (the formats the site
takes for images, WAGTAILIMAGES_EXTENSIONS), at most `MAX_BYTES` and `MAX_PIXELS` — then decoded and
written again as a JPEG of at most `MAX_SIDE` pixels a side, turned upright first. Writing it again
drops its EXIF (the phone's GPS position, its owner's name, the time) and anything hidden after the
image data. It is stored under a random name in STORAGES["private"] (never at a public URL) and
served only by `shop.return_views.photo`, to the buyer, the producer and the officials.

The limits are wider than the catalogue's (5 MB, 20 megapixels): a buyer sends what the phone took,
and today's phones take 24–48 megapixels; nothing larger is decoded.
"""

import io
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTOS = 3
MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600
JPEG_QUALITY = 85
STORAGE = "private"


class PhotoError(ValueError):
    """Not a photo we take; the message says why, in Vietnamese."""


def accepted_formats() -> set[str]:
    """Pillow's names of the formats the site takes for images ("jpg" and "jpeg" are both JPEG)."""
    return {"JPEG" if extension in ("jpg", "jpeg") else extension.upper()
            for extension in settings.WAGTAILIMAGES_EXTENSIONS}


def clean(upload) -> bytes:
    """The photo re-encoded as JPEG (no EXIF, at most MAX_SIDE px), or PhotoError."""
    name = getattr(upload, "name", "") or _("ảnh")
    if upload.size > MAX_BYTES:
        raise PhotoError(_("Ảnh “%(name)s” lớn quá %(mb)s MB.") % {"name": name, "mb": MAX_BYTES // (1024 * 1024)})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in accepted_formats():
                raise PhotoError(_("“%(name)s” không phải ảnh JPEG, PNG hay WebP.") % {"name": name})
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise PhotoError(_("Ảnh “%(name)s” quá lớn (%(megapixels)s megapixel; tối đa %(limit)s).") % {
                    "name": name, "megapixels": width * height // 1_000_000, "limit": MAX_PIXELS // 1_000_000})
            image.load()
            return _reencoded(image)
    except PhotoError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise PhotoError(_("Không đọc được ảnh “%(name)s”: hãy gửi một ảnh JPEG, PNG hay WebP.") % {"name": name}) from None


def _reencoded(image) -> bytes:
    image = ImageOps.exif_transpose(image)  # upright, as the camera meant it; the EXIF itself is not kept
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    else:
        image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)  # no exif=, icc_profile=: none written
    return out.getvalue()


def store(data: bytes) -> str:
    """Save a cleaned photo under a random name in the private storage; the name it got."""
    name = f"doi-tra/{timezone.localdate():%Y/%m}/{secrets.token_urlsafe(18)}.jpg"
    return storages[STORAGE].save(name, ContentFile(data))


def open_photo(photo):
    return storages[STORAGE].open(photo.image.name, "rb")


def delete(names) -> None:
    """Remove files whose request was not saved after all (best effort: a stray file is only disk)."""
    for name in names:
        try:
            storages[STORAGE].delete(name)
        except Exception:  # noqa: BLE001,S110 - the storage is unreachable: the file stays, nothing else breaks
            pass

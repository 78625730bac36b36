"""Photo uploads: what the file *is* (opened with Pillow), never what its name says.

A photo is accepted only if Pillow decodes it as JPEG, PNG or WebP, within 10 MB and 40 megapixels.
It is then re-encoded, which drops EXIF (GPS position of a village, camera serial) and anything
hidden after the image data.
"""

import io
import logging
import os
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
THUMBNAIL_GEOMETRY = "300x300"


def photo_clean(*, upload) -> ContentFile:
    """The upload re-encoded without metadata, or ValidationError with a message the producer can act on."""
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(_("The photo is larger than 10 MB. Send a smaller one."), code="too_large")
    upload.seek(0)
    data = upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError(_("The photo is larger than 10 MB. Send a smaller one."), code="too_large")
    image = _photo_open(data)
    output = io.BytesIO()
    image_format = image.format
    image = ImageOps.exif_transpose(image)  # keep the photo upright once the EXIF orientation is gone
    if image_format == "JPEG":
        image.convert("RGB").save(output, "JPEG", quality=85, optimize=True)
    elif image_format == "PNG":
        image.save(output, "PNG", optimize=True)
    else:
        image.save(output, "WEBP", quality=85)
    stem = os.path.splitext(os.path.basename(upload.name or "photo"))[0][:60] or "photo"
    return ContentFile(output.getvalue(), name=f"{stem}.{FORMATS[image_format]}")


def _photo_open(data: bytes):
    refused = _("This file is not a JPEG, PNG or WebP photo.")
    too_big = _("The photo has more than 40 megapixels. Send a smaller one.")
    with warnings.catch_warnings():
        # Pillow only warns between its own limit and twice it; treat the warning as a refusal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise ValidationError(refused, code="wrong_type")
            width, height = image.size
            if width * height > MAX_PHOTO_PIXELS:
                raise ValidationError(too_big, code="too_many_pixels")
            image.load()  # decode fully: a truncated or forged body fails here, not on the storefront
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValidationError(too_big, code="too_many_pixels")
        except ValidationError:
            raise
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ValidationError(refused, code="wrong_type")
    return image


def photo_thumbnail_warm(*, image_field) -> None:
    """Generate the dashboard thumbnail now, so the first page view does not pay for it."""
    from sorl.thumbnail import get_thumbnail

    try:
        get_thumbnail(image_field, THUMBNAIL_GEOMETRY, crop="center", quality=80)
    except Exception:  # a thumbnail can be regenerated later; the stored photo is what matters
        logger.warning("Thumbnail generation failed for %s", image_field.name, exc_info=True)

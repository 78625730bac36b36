import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model
from PIL import Image

ProductImage = get_model("catalogue", "ProductImage")
Partner = get_model("partner", "Partner")

pytestmark = pytest.mark.django_db


def _jpeg_with_gps_exif() -> bytes:
    image = Image.new("RGB", (64, 48), "#c0392b")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (30.0, 52.0, 0.0)}  # GPS: where the village is
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that announces a huge canvas in a few bytes: a decompression bomb's calling card."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def _gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (8, 8)).save(buffer, "GIF")
    return buffer.getvalue()


def _post_photo(client, product_id, name, raw, content_type="image/jpeg"):
    return client.post(
        reverse("coop-dashboard:photo-upload", kwargs={"pk": product_id}),
        {"photo": SimpleUploadedFile(name, raw, content_type)},
    )


def _media_files(settings) -> list:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_jpeg_is_stored_without_its_exif_and_gets_a_thumbnail(client_a, record_a, settings):
    response = _post_photo(client_a, record_a.product_id, "recolte.jpg", _jpeg_with_gps_exif())

    assert response.status_code == 302
    image = ProductImage.objects.get(product_id=record_a.product_id)
    with Image.open(image.original.path) as stored:
        assert stored.format == "JPEG" and stored.size == (64, 48)
        assert not stored.getexif() and "exif" not in stored.info
    assert any("cache" in str(path) for path in _media_files(settings))  # sorl's thumbnail


@pytest.mark.parametrize(
    "case,name,raw,message",
    [
        ("decompression bomb", "bomb.png", _png_header_only(20_000, 20_000), "40 megapixels"),
        ("49 megapixels", "big.png", _png_header_only(7_000, 7_000), "40 megapixels"),
        (
            "html named .jpg",
            "photo.jpg",
            b"<html><script>alert(1)</script></html>",
            "not a JPEG, PNG or WebP",
        ),
        ("gif", "anim.gif", _gif(), "not a JPEG, PNG or WebP"),
        ("truncated jpeg", "cut.jpg", _jpeg_with_gps_exif()[:200], "not a JPEG, PNG or WebP"),
        ("over 10 MB", "huge.jpg", b"\xff\xd8" + b"\0" * (10 * 1024 * 1024), "10 MB"),
    ],
)
def test_a_refused_photo_gets_a_clear_message_and_nothing_is_stored(
    case, name, raw, message, client_a, record_a, settings
):
    with translation.override("en"):  # the dashboard under /en/: the messages above are English
        response = _post_photo(client_a, record_a.product_id, name, raw)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["photo"])
    assert not ProductImage.objects.filter(product_id=record_a.product_id).exists()
    assert _media_files(settings) == []


def test_profile_edit_changes_the_story_and_counts_but_never_ice_registration_or_commission(client_a, coop_a):
    before = (coop_a.ice, coop_a.registration_number, coop_a.commission_rate)

    response = client_a.post(
        reverse("coop-dashboard:profile"),
        {
            "story": "Nouvelle histoire",
            "members_count": 100,
            "women_members_count": 45,
            "ice": "999999999999999",
            "registration_number": "FAKE",
            "commission_rate": "0",
            "logo": SimpleUploadedFile("logo.png", _png_bytes(), "image/png"),
        },
    )

    assert response.status_code == 302
    coop_a.refresh_from_db()
    assert (coop_a.story, coop_a.members_count, coop_a.women_members_count) == ("Nouvelle histoire", 100, 45)
    assert (coop_a.ice, coop_a.registration_number, coop_a.commission_rate) == before
    assert coop_a.logo.name.endswith(".png")
    page = client_a.get(reverse("coop-dashboard:profile")).content.decode()
    assert coop_a.ice in page and 'name="ice"' not in page


def test_profile_refuses_more_women_members_than_members_and_a_bad_logo(client_a, coop_a):
    response = client_a.post(
        reverse("coop-dashboard:profile"),
        {
            "story": "x",
            "members_count": 3,
            "women_members_count": 4,
            "logo": SimpleUploadedFile("logo.png", b"<svg/>", "image/png"),
        },
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"women_members_count", "logo"}
    coop_a.refresh_from_db()
    assert coop_a.story != "x" and not coop_a.logo


def _png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (32, 32), (200, 100, 50, 255)).save(buffer, "PNG")
    return buffer.getvalue()

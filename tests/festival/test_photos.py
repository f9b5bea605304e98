import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from festival import photos, services
from festival.models import MAX_PHOTOS

from .conftest import make_entry, png_upload

GPS_IFD = 0x8825


def jpeg_with_gps():
    image = Image.new("RGB", (120, 80), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretPhone Inc."  # Make
    exif[0x0110] = "SP-1"  # Model
    exif[GPS_IFD] = {1: "N", 2: (22.0, 32.0, 10.0), 3: "E", 4: (113.0, 56.0, 3.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_exif_and_gps_are_removed():
    data = jpeg_with_gps()
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(GPS_IFD)  # the test file really carries a position
    cleaned = photos.clean_photo(SimpleUploadedFile("IMG_2041.jpg", data))
    out = cleaned.read()
    with Image.open(io.BytesIO(out)) as image:
        assert image.format == "JPEG"
        assert len(image.getexif()) == 0
        assert "exif" not in image.info
    assert b"SecretPhone" not in out


def test_decompression_bomb_is_refused():
    # A 1-bit PNG of 20000 × 20000 pixels is a few kB on disk and 400 million pixels unpacked.
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")
    assert len(buffer.getvalue()) < 200_000
    with pytest.raises(ValidationError, match="pixels|too large"):
        photos.clean_photo(SimpleUploadedFile("bomb.png", buffer.getvalue()))


def test_truncated_file_is_refused():
    data = png_upload(size=(400, 300)).read()
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(buffer, "JPEG")
    with pytest.raises(ValidationError, match="damaged or incomplete"):
        photos.clean_photo(SimpleUploadedFile("cut.jpg", buffer.getvalue()[: len(buffer.getvalue()) // 2]))
    assert data  # the intact file of the same kind is fine:
    photos.clean_photo(SimpleUploadedFile("ok.png", data))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7 not an image", "not an image"),
        (b"", "not an image"),
    ],
)
def test_non_images_are_refused(content, message):
    with pytest.raises(ValidationError, match=message):
        photos.clean_photo(SimpleUploadedFile("x.jpg", content))


def test_other_image_formats_are_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    with pytest.raises(ValidationError, match="GIF files are not accepted"):
        photos.clean_photo(SimpleUploadedFile("x.gif", buffer.getvalue()))


def test_size_limit():
    small = png_upload().read()
    too_big = small + b"\0" * photos.MAX_BYTES  # a valid image padded past the 8 MB limit
    with pytest.raises(ValidationError, match="the limit is 8 MB"):
        photos.clean_photo(SimpleUploadedFile("big.png", too_big))


def test_pixel_limit_below_pillows_own_bomb_limit():
    # 6000 × 4001 = 24,006,000 pixels: over our limit, well under Pillow's (89 million), a few kB on disk.
    buffer = io.BytesIO()
    Image.new("1", (6000, 4001)).save(buffer, "PNG")
    with pytest.raises(ValidationError, match="6000 × 4001 pixels; the limit is 24 million"):
        photos.clean_photo(SimpleUploadedFile("wide.png", buffer.getvalue()))
    buffer = io.BytesIO()
    Image.new("1", (6000, 4000)).save(buffer, "PNG")
    photos.clean_photo(SimpleUploadedFile("ok.png", buffer.getvalue()))  # exactly at the limit


def _with_gps(fmt, **save):
    image = Image.new("RGB", (120, 80), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretPhone Inc."
    exif[GPS_IFD] = {1: "N", 2: (22.0, 32.0, 10.0), 3: "E", 4: (113.0, 56.0, 3.0)}
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif, **save)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("fmt", "save", "stored"),
    [
        ("PNG", {}, "PNG"),
        ("WEBP", {}, "WEBP"),
        # Phone JPEGs with a depth map or a second frame: Pillow calls them MPO; they are JPEGs.
        ("MPO", {"save_all": True, "append_images": [Image.new("RGB", (120, 80))]}, "JPEG"),
    ],
)
def test_every_accepted_format_loses_its_exif(fmt, save, stored):
    data = _with_gps(fmt, **save)
    with Image.open(io.BytesIO(data)) as original:
        assert original.format == fmt and original.getexif().get_ifd(GPS_IFD)
    out = photos.clean_photo(SimpleUploadedFile("IMG_0001", data)).read()
    with Image.open(io.BytesIO(out)) as image:
        assert image.format == stored
        assert len(image.getexif()) == 0
    assert b"SecretPhone" not in out


def test_heic_is_stored_as_jpeg_without_exif():
    data = (Path(__file__).parent / "files" / "gps.heic").read_bytes()  # iPhone format, GPS tags inside
    assert b"SecretPhone" in data
    cleaned = photos.clean_photo(SimpleUploadedFile("IMG_0002.HEIC", data))
    out = cleaned.read()
    assert cleaned.name == "photo.jpg" and cleaned.content_type == "image/jpeg"
    with Image.open(io.BytesIO(out)) as image:
        assert image.format == "JPEG" and image.size == (96, 64) and len(image.getexif()) == 0
    assert b"SecretPhone" not in out


def test_large_photos_are_scaled_down_and_webp_kept():
    cleaned = photos.clean_photo(png_upload(size=(3000, 1500), fmt="WEBP"))
    with Image.open(cleaned) as image:
        assert image.format == "WEBP" and image.size == (2400, 1200)


@pytest.mark.django_db
def test_entry_photo_limit_and_alt_text(edition, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    entry = make_entry(edition, people, photo=False)
    with pytest.raises(ValidationError, match="Describe"):
        services.add_photo(entry, png_upload(), user=people["s1"], alt_text=" ", shows_people=False)
    for n in range(MAX_PHOTOS):
        services.add_photo(entry, png_upload(), user=people["s1"], alt_text=f"第{n}张", shows_people=False)
    with pytest.raises(ValidationError, match="at most 10"):
        services.add_photo(entry, png_upload(), user=people["s1"], alt_text="多一张", shows_people=False)
    stored = entry.photos.first()
    assert stored.image.name.startswith(f"festival/{edition.pk}/") and "photo" not in stored.image.name
    assert stored.width == 64

"""Issue 11, minors' data: images uploaded to the Wagtail image library lose EXIF GPS and device
data, in the original, the renditions and the API's original, whichever uploader stored them; a
truncated JPEG is a form error, not a 500."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
MAKE, MODEL = 0x010F, 0x0110


def phone_photo(fmt="JPEG"):
    """A photo as a phone writes it: EXIF with the GPS position and the phone's make and model."""
    image = Image.new("RGB", (320, 200), (30, 120, 200))
    exif = Image.Exif()
    exif[MAKE], exif[MODEL] = "Huawei", "P60 Pro"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (22.0, 32.0, 36.0), 3: "E", 4: (113.0, 56.0, 24.0)})
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif.tobytes())
    data = buffer.getvalue()
    with Image.open(io.BytesIO(data)) as check:  # the test photo really carries it
        assert check.getexif()[MAKE] == "Huawei" and check.getexif().get_ifd(GPS_IFD)
    return data


def assert_clean(data):
    assert b"Huawei" not in data and b"P60 Pro" not in data
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        assert MAKE not in exif and MODEL not in exif and not exif.get_ifd(GPS_IFD)
        assert "exif" not in image.info


def read(field_file):
    field_file.open("rb")
    try:
        return field_file.read()
    finally:
        field_file.close()


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    return client


def test_an_uploaded_phone_photo_loses_gps_and_device_in_original_rendition_and_api(admin_client, client):
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "教室里的接线",
            "description": "学生在面包板上接 LED",
            "file": SimpleUploadedFile("IMG_2041.jpg", phone_photo(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    image = get_image_model().objects.get(title="教室里的接线")
    assert_clean(read(image.file))
    assert (image.width, image.height) == (320, 200)
    assert_clean(read(image.get_rendition("width-160").file))
    detail = client.get(f"/api/v2/images/{image.pk}/").json()
    assert detail["meta"]["download_url"].endswith(image.file.name.rsplit("/", 1)[-1])


def test_the_multiple_uploader_stores_no_exif_either(admin_client):
    """It parks the raw upload while it asks for the alt text; neither copy keeps the GPS position."""
    from wagtail.models import UploadedFile

    response = admin_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile("IMG_2042.jpg", phone_photo(), content_type="image/jpeg")},
    )
    assert response.status_code == 200 and json.loads(response.content)["success"]
    upload = UploadedFile.objects.get()
    assert_clean(read(upload.file))
    finish = admin_client.post(
        reverse("wagtailimages:create_multiple_from_uploaded_image", args=[upload.pk]),
        {
            f"uploaded-image-{upload.pk}-title": "面包板",
            f"uploaded-image-{upload.pk}-description": "面包板上的 LED",
        },
    )
    assert json.loads(finish.content)["success"], finish.content.decode()[:2000]
    assert_clean(read(get_image_model().objects.get(title="面包板").file))


def test_images_saved_by_code_lose_exif_too():
    from django.core.files.images import ImageFile

    image = get_image_model().objects.create(
        title="演示照片", description="演示", file=ImageFile(io.BytesIO(phone_photo("PNG")), name="demo.png")
    )
    assert_clean(read(image.file))


def test_a_truncated_jpeg_is_a_form_error(admin_client):
    data = phone_photo()
    truncated = data[: len(data) // 2]
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "坏文件",
            "description": "坏文件",
            "file": SimpleUploadedFile("broken.jpg", truncated, content_type="image/jpeg"),
        },
    )
    assert response.status_code == 200
    assert not get_image_model().objects.filter(title="坏文件").exists()
    multiple = admin_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile("broken.jpg", truncated, content_type="image/jpeg")},
    )
    assert multiple.status_code == 200 and not json.loads(multiple.content)["success"]


def test_the_command_cleans_images_stored_before():
    """Images saved before the cleaning existed (put straight in storage here) are cleaned by the
    command, and their renditions made again from the clean file."""
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    image = get_image_model().objects.create(title="旧照片", description="旧照片", file=_png())
    image.file.storage.delete(image.file.name)
    image.file.storage.save(image.file.name, ContentFile(phone_photo()))  # as stored long ago
    assert b"Huawei" in read(image.file)
    call_command("strip_image_metadata", stdout=io.StringIO())
    image.refresh_from_db()
    assert_clean(read(image.file))
    assert_clean(read(image.get_rendition("width-100").file))


def _png():
    from django.core.files.images import ImageFile

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "PNG")
    return ImageFile(buffer, name="old.png")

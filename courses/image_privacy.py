"""No image in the library keeps its EXIF, whatever path stored it.

The upload form (courses.image_forms) cleans what people upload through the admin. This is the
backstop for every other path — the multiple uploader's parked uploads (Wagtail keeps the raw file
while it asks for the alt text), imports, the demo seed, code: before an image (or a parked upload)
is saved, a file that still carries metadata is replaced by its clean copy
(makerroom.core.images). Clean files are left alone, so a saved image is never re-encoded twice.
"""

import logging
import os

from django.core.files.base import ContentFile
from makerroom.core import images

logger = logging.getLogger(__name__)


def clean_stored_file(field_file):
    """Replace `field_file`'s content by a copy without metadata; True if it was replaced."""
    if not field_file:
        return False
    try:
        field_file.open("rb")
        field_file.seek(0)
        data = field_file.read()
        field_file.seek(0)
    except (OSError, ValueError):
        return False
    if not images.has_metadata(data):
        return False
    try:
        clean, fmt = images.strip_metadata(data)
    except images.UnreadableImage:
        logger.warning("Could not strip metadata from %s", field_file.name)
        return False
    old_name, storage = field_file.name, field_file.storage
    was_stored = getattr(field_file, "_committed", True) and old_name and storage.exists(old_name)
    field_file.save(
        images.clean_name(os.path.basename(old_name or "image"), fmt), ContentFile(clean), save=False
    )
    if was_stored and old_name != field_file.name:
        storage.delete(old_name)  # the file with the GPS position must not stay behind
    return True


def _saves_file(raw, update_fields):
    return not raw and (update_fields is None or "file" in update_fields)


def clean_image_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if not _saves_file(raw, update_fields):
        return
    if clean_stored_file(instance.file):
        instance.file.field.update_dimension_fields(instance, force=True)
        instance._set_image_file_metadata()  # size and hash of the clean file
        if instance.pk:
            instance.renditions.all().delete()  # made from the file with metadata


def clean_upload_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if _saves_file(raw, update_fields):
        clean_stored_file(instance.file)


def connect():
    from django.db.models.signals import pre_save
    from wagtail.images import get_image_model
    from wagtail.models import UploadedFile

    pre_save.connect(clean_image_before_save, sender=get_image_model(), dispatch_uid="courses-image-exif")
    pre_save.connect(clean_upload_before_save, sender=UploadedFile, dispatch_uid="courses-upload-exif")

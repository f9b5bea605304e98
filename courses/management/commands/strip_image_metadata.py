"""Clean the images already in the library: every original that still carries EXIF (GPS position,
device), XMP or comments is replaced by its clean copy and its renditions are made again.

New uploads are cleaned as they arrive (courses.image_privacy); run this once for images stored
before that, e.g. `manage.py strip_image_metadata`."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from wagtail.images import get_image_model

from courses.image_privacy import clean_stored_file


class Command(BaseCommand):
    help = "Remove EXIF (GPS, device), XMP and comments from images already in the Wagtail library."

    def handle(self, *args, **options):
        cleaned = 0
        for image in get_image_model().objects.all().iterator():
            # Saving runs the same pre-save cleaning as an upload (file, size, hash, renditions).
            before = image.file.name
            image.save()
            if image.file.name != before or clean_stored_file(image.file):
                cleaned += 1
        self.stdout.write(_("%(count)d images cleaned.") % {"count": cleaned})

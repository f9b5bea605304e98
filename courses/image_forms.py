"""The image upload form of the whole admin (settings.WAGTAILIMAGES_IMAGE_FORM_BASE): the single and
the multiple uploader both build their forms on it."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext_lazy as _
from makerroom.core import images
from PIL import Image
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

DAMAGED = _("The image file is damaged or incomplete; please upload it again.")


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, but a file Pillow cannot decode (a truncated JPEG makes its pixel-size
    check raise OSError) is a form error instead of a server error."""

    def to_python(self, data):
        try:
            return super().to_python(data)
        except ValidationError:
            raise
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise ValidationError(DAMAGED, code="invalid_image") from error


class AltTextRequiredImageForm(BaseImageForm):
    """Images in lessons need alt text for screen readers: the description is required on upload
    (the multiple uploader then asks for it before the image is saved).

    Every uploaded file is stored without its EXIF (a teacher's phone photo carries where it was
    taken and the phone): the original, and so every rendition and the API's original, holds only
    the pixels (makerroom.core.images). A damaged or truncated file is a form error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        file_field = self.fields.get("file")
        if type(file_field) is WagtailImageField:
            # Wagtail builds the field itself (formfield_for_dbfield); only its checking changes.
            file_field.__class__ = CheckedImageField
        if "description" in self.fields:
            self.fields["description"].required = True
            self.fields["description"].label = _("Alt text (description)")
            self.fields["description"].help_text = _(
                "Describe the picture for someone who cannot see it, e.g. “LED 长脚接 GPIO2，短脚经 220Ω 电阻接 GND”."
            )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return upload  # editing without a new file: the stored one was cleaned on its upload
        upload.seek(0)
        data = upload.read()
        try:
            clean, fmt = images.strip_metadata(data)
        except images.UnsupportedFormat as error:
            raise ValidationError(
                _("%(format)s images are not accepted; use JPEG, PNG, WebP, GIF or AVIF.")
                % {"format": error.format}
            ) from error
        except images.UnreadableImage as error:
            raise ValidationError(
                _("The image file is damaged or incomplete; please upload it again.")
            ) from error
        return SimpleUploadedFile(
            images.clean_name(upload.name, fmt),
            clean,
            content_type=Image.MIME.get(fmt, "application/octet-stream"),
        )

"""The image upload form of the whole admin (settings.WAGTAILIMAGES_IMAGE_FORM_BASE)."""

from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm


class AltTextRequiredImageForm(BaseImageForm):
    """Images in lessons need alt text for screen readers: the description is required on upload
    (the multiple uploader then asks for it before the image is saved)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            self.fields["description"].required = True
            self.fields["description"].label = _("Alt text (description)")
            self.fields["description"].help_text = _(
                "Describe the picture for someone who cannot see it, e.g. “LED 长脚接 GPIO2，短脚经 220Ω 电阻接 GND”."
            )

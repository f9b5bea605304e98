"""What other apps may ask of the firmware app (courses' lesson page asks it for its flash block)."""

from django.templatetags.static import static
from django.urls import reverse


def page_config(slug: str, *, kits_url: str = "") -> dict:
    """What a flashing page's script needs: where the manifests, the records and esptool-js are."""
    return {
        "manifest_url": reverse("firmware:manifest", args=[slug]),
        "record_url": reverse("firmware:record"),
        "kits_url": kits_url,
        "flasher_url": static("courses/workbench/flasher.js"),
        "lesson": slug,
    }

"""{% board_flash slug %}: the "烧录到开发板" block under the workbench (Web Serial), or, where the
browser has no Web Serial, the lesson zip and the makerroom-flash command."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from firmware.library import UnknownLesson, load_lesson

register = template.Library()


def board_flash_strings() -> dict:
    return {
        "idle": "",
        "connecting": _("Connecting to the board…"),
        "writing": _("Writing"),
        "done": _("Done: the board restarted and runs your program. Its output is in the serial console."),
        "no_port": _("No board chosen."),
        "no_micropython": _(
            "This board does not answer as a MicroPython board. Ask your teacher or lab staff to flash "
            "MicroPython onto it first."
        ),
        "board_error": _("The board reported an error:"),
        "port_gone": _(
            "The board was disconnected while writing. Plug it in again and press the button to retry."
        ),
        "failed": _("Writing to the board failed:"),
    }


@register.inclusion_tag("courses/includes/board_flash.html")
def board_flash(slug):
    try:
        lesson = load_lesson(slug)
    except UnknownLesson:
        return {"enabled": False}
    data = {
        "strings": board_flash_strings(),
        # The same lesson.json the lab flasher writes, with the board unknown to the page.
        "lesson_json": {"lesson": lesson.slug, "version": lesson.version, "board": "", "built": "browser"},
    }
    return {
        "enabled": True,
        "data": data,
        "zip_url": reverse("courses:program_zip", args=[slug]),
        "command": f"makerroom-flash --lesson {slug} --ports auto",
        "slug": slug,
    }

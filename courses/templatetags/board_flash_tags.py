"""{% board_flash slug %}: the "烧录到开发板" block under the workbench (Web Serial), or, where the
browser has no Web Serial, the lesson zip and the makerroom-flash command."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from firmware import policy as firmware_policy
from firmware.library import UnknownLesson, load_lesson
from firmware.services import page_config

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
        "full_connecting": _("Connecting to the board's bootloader…"),
        "full_checking": _("Checking the chip and the flash…"),
        "full_writing": _("Writing MicroPython and the lesson…"),
        "full_resetting": _("Restarting the board…"),
        "full_done": _(
            "Done: MicroPython and the lesson are on the board and it restarted. Press “Flash to the "
            "board” again to put your own program on it."
        ),
        "full_refused": _("Not flashed (nothing was written):"),
        "full_no_bootloader": _(
            "The board does not answer in download mode. Hold the BOOT button while pressing EN (or "
            "RST), then try again."
        ),
    }


@register.inclusion_tag("courses/includes/board_flash.html", takes_context=True)
def board_flash(context, slug):
    try:
        lesson = load_lesson(slug)
    except UnknownLesson:
        return {"enabled": False}
    data = {
        "strings": board_flash_strings(),
        # The same lesson.json the lab flasher writes, with the board unknown to the page.
        "lesson_json": {"lesson": lesson.slug, "version": lesson.version, "board": "", "built": "browser"},
    }
    # Inside the workbench's inclusion tag the request is the context's, not one of its variables.
    request = getattr(context, "request", None) or context.get("request")
    user = getattr(request, "user", None)
    # A full flash (MicroPython and the lesson, with esptool-js) for the people the policy allows.
    if firmware_policy.may_flash_from_page(user):
        data["full"] = {**page_config(slug), "csrf_token": str(context.get("csrf_token", ""))}
    return {
        "enabled": True,
        "full": "full" in data,
        "data": data,
        "zip_url": reverse("courses:program_zip", args=[slug]),
        "command": f"makerroom-flash --lesson {slug} --ports auto",
        "slug": slug,
    }

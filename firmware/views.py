"""The browser's side of flashing (session login, CSRF): the manifest and images a page writes with
esptool-js, recording each board through the same service as the CLI, and the lab staff's
"批量烧录" page. firmware.policy decides who may use each; the work is in webflash and recording."""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from makerroom.core.directory import current_class_lessons
from makerroom_flash.store import ImageError

from . import policy, webflash
from .library import SITE_LESSONS, UnknownLesson, load_lesson
from .recording import RESULT_FIELDS, kit_problems, kits_by_mac, lookup_lists, reason, record, wrong_type
from .services import page_config


def allowed(rule):
    """JSON views: refused with a JSON 403 (the page shows the message) unless rule(user)."""

    def decorate(view):
        def wrapped(request, *args, **kwargs):
            if not rule(request.user):
                if not request.user.is_authenticated:
                    message = _("Log in first: flashing a board needs your account.")
                else:
                    message = _("Your account may not flash boards here.")
                return JsonResponse({"error": message}, status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _binary(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The URL names exactly these bytes (lesson version, base SHA-256, size): never changes.
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


@require_GET
@allowed(policy.may_flash_from_page)
def manifest(request, slug):
    try:
        data = webflash.manifest(slug, request.GET.get("chip", ""), request.GET.get("flash_size", ""))
    except webflash.NoManifest as exc:
        return JsonResponse({"error": str(exc)}, status=exc.status)
    return JsonResponse(data)


@require_GET
@allowed(policy.may_flash_from_page)
def base_image(request, sha256):
    try:
        image, data = webflash.base_image(sha256)
    except ImageError as exc:
        return JsonResponse({"error": str(exc)}, status=404)
    return _binary(data, f"{image.name}")


@require_GET
@allowed(policy.may_flash_from_page)
def lesson_image(request, slug, version, sha256, megabytes):
    try:
        lesson = load_lesson(slug)
        if lesson.version != version:
            raise UnknownLesson(slug)
        base, _data = webflash.base_image(sha256)
    except (UnknownLesson, ImageError):
        return JsonResponse({"error": _("This image is not available (the lesson has changed).")}, status=404)
    try:
        data = webflash.lesson_image(lesson, base, webflash.flash_size_bytes(f"{megabytes}MB"))
    except webflash.NoManifest as exc:
        return JsonResponse({"error": str(exc)}, status=exc.status)
    return _binary(data, f"{slug}-{version}-{megabytes}MB.bin")


def _json_body(request):
    try:
        data = json.loads(request.body)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


@require_POST
@allowed(policy.may_flash_from_page)
def record_board(request):
    """One board's outcome. Lab staff name the kit (matched by MAC or typed on the batch page); a
    student's board is recorded against the kit on loan to them, and not at all without one."""
    data = _json_body(request)
    if data is None:
        return JsonResponse({"error": _("body must be a JSON object")}, status=400)
    if field := wrong_type(data):
        return JsonResponse({"error": _("%(field)s: wrong type") % {"field": field}}, status=400)
    result = {field: data.get(field) for field in RESULT_FIELDS}
    result["port"] = "Web Serial"  # what the page sent as a port is not its to say
    if policy.may_flash_kits(request.user):
        if not result["kit"]:
            return JsonResponse({"recorded": False, "message": _("Not recorded: no kit for this board.")})
    else:
        kit = policy.kit_on_loan(request.user)
        if kit is None:
            return JsonResponse({"recorded": False, "message": _("Not recorded: you have no kit on loan.")})
        result["kit"] = kit.code
    try:
        saved = record(result, request.user)
    except ValidationError as exc:
        return JsonResponse({"error": reason(exc)}, status=400)
    except PermissionDenied as exc:
        return JsonResponse({"error": str(exc)}, status=403)
    return JsonResponse(
        {
            "recorded": True,
            "id": saved.pk,
            "kit": result["kit"],
            "message": _("Recorded against kit %(kit)s.") % {"kit": result["kit"]},
        },
        status=201,
    )


@require_POST
@allowed(policy.may_flash_kits)
def kits(request):
    """{"macs": [...], "codes": [...]} → the kits already holding these boards, and the typed kit
    codes this person may not use (the same answers the CLI gets)."""
    lists, bad = lookup_lists(_json_body(request) or {})
    if bad:
        return JsonResponse({"error": _("%(field)s: wrong type") % {"field": bad}}, status=400)
    return JsonResponse(
        {
            "macs": kits_by_mac(lists["macs"], request.user),
            "problems": kit_problems(lists["codes"], request.user),
        }
    )


def batch(request):
    """批量烧录: lab staff flash a kit's boards from one tab (Wagtail admin view)."""
    if not policy.may_flash_kits(request.user):
        raise PermissionDenied
    lessons = [load_lesson(slug) for slug in SITE_LESSONS.slugs()]
    slug = request.GET.get("lesson") or (lessons[0].slug if lessons else "")
    if slug not in {lesson.slug for lesson in lessons}:
        slug = lessons[0].slug
    english = get_language() == "en"
    choices = [
        {
            "slug": lesson.slug,
            "version": lesson.version,
            "title": lesson.title_en if english else lesson.title_zh,
        }
        for lesson in lessons
    ]
    page_data = {
        "config": {
            lesson.slug: page_config(lesson.slug, kits_url=reverse("firmware:kits")) for lesson in lessons
        },
        "strings": batch_strings(),
        "csrf_token": get_token(request),
    }
    known = {lesson.slug for lesson in lessons}  # a class's lesson now, to flash its boards
    class_lessons = [c for c in current_class_lessons(request.user.school_id) if c["program"] in known]
    context = {"lessons": choices, "lesson": slug, "class_lessons": class_lessons, "page_data": page_data}
    return render(request, "firmware/admin/batch.html", context)


def batch_strings() -> dict:
    return {
        "add": _("Board %(n)s"),
        "waiting": _("Ready"),
        "connecting": _("Connecting…"),
        "checking": _("Checking the chip…"),
        "writing": _("Writing…"),
        "resetting": _("Restarting…"),
        "done": pgettext("batch flashing", "Done"),
        "failed": _("Failed:"),
        "serial_error": _("The serial link failed (cable, hub or too high a speed):"),
        "refused": _("Refused before writing:"),
        "port_gone": _("The board was disconnected. Plug it in again and retry."),
        "recorded": _("Recorded against kit %(kit)s"),
        "not_recorded": _("Not recorded:"),
        "no_kit": _("no kit for this board (type its kit code and retry)"),
        "kit_problem": _("Kit problem:"),
        "slow_retry": _("Retry at 115200 baud"),
        "retry": _("Retry"),
        "summary": _("%(ok)s of %(total)s boards flashed"),
    }

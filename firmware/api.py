"""REST endpoints for lab PCs running `makerroom-flash --server URL --token T`.

Authenticated with a per-person Wagtail APIToken (Authorization: Bearer …); only lab staff with a
school (or superusers) may use them, and a flash can only be recorded against their school's kits.
"""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import APIToken

from .library import UnknownLesson, lesson_zip
from .recording import can_flash, reason, record

RESULT_FIELDS = {
    "kit": str,
    "mac": str,
    "chip": str,
    "port": str,
    "base_firmware": str,
    "base_sha256": str,
    "lesson": str,
    "lesson_version": str,
    "ok": bool,
    "message": str,
    "seconds": (int, float),
}


def _token_user(request):
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not APIToken.validate_token_format(token.strip()):
        return None
    api_token = (
        APIToken.objects.select_related("user")
        .filter(key_hash__in=APIToken.candidate_key_hashes(token.strip()), revoked_at__isnull=True)
        .first()
    )
    return api_token.user if api_token and api_token.user.is_active else None


def token_required(view):
    def wrapped(request, *args, **kwargs):
        user = _token_user(request)
        if user is None:
            return JsonResponse({"error": "invalid or revoked token"}, status=401)
        if not can_flash(user):
            return JsonResponse({"error": "only lab staff of a school may flash boards"}, status=403)
        request.user = user
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@token_required
def lesson_bundle(request, slug):
    try:
        data = lesson_zip(slug)
    except UnknownLesson:
        return JsonResponse({"error": f"unknown lesson: {slug}"}, status=404)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{slug}.zip"'
    return response


@csrf_exempt
@require_POST
@token_required
def record_flash(request):
    try:
        data = json.loads(request.body)
    except ValueError:
        return JsonResponse({"error": "body is not JSON"}, status=400)
    if not isinstance(data, dict):
        return JsonResponse({"error": "body must be a JSON object"}, status=400)
    for field, kind in RESULT_FIELDS.items():
        if field in data and data[field] is not None and not isinstance(data[field], kind):
            return JsonResponse({"error": f"{field}: wrong type"}, status=400)
    if "ok" not in data:
        return JsonResponse({"error": "ok: required"}, status=400)
    try:
        saved = record(data, request.user)
    except ValidationError as exc:
        return JsonResponse({"error": reason(exc)}, status=400)
    except PermissionDenied as exc:
        return JsonResponse({"error": str(exc)}, status=403)
    return JsonResponse({"status": _("recorded #%(id)s") % {"id": saved.pk}, "id": saved.pk}, status=201)

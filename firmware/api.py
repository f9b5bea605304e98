"""REST endpoints for lab PCs running `makerroom-flash --server URL --token T`.

Errors are in the language the client asks for (Accept-Language; the lab PC sends its --lang).
Authenticated with a per-person Wagtail APIToken (Authorization: Bearer …); only lab staff with a
school (or superusers) may use them, and a flash can only be recorded against their school's kits.
"""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import APIToken

from .library import UnknownLesson, lesson_zip
from .policy import may_flash_kits as can_flash
from .recording import kit_problems, kits_by_mac, lookup_lists, reason, record, wrong_type


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


def in_client_language(view):
    """The API is outside the /en/ prefixes, where LocaleMiddleware uses the default language:
    answer in the one the client asks for with Accept-Language instead."""

    def wrapped(request, *args, **kwargs):
        with translation.override(translation.get_language_from_request(request)):
            return view(request, *args, **kwargs)

    return wrapped


def token_required(view):
    @in_client_language
    def wrapped(request, *args, **kwargs):
        user = _token_user(request)
        if user is None:
            return JsonResponse({"error": _("invalid or revoked token")}, status=401)
        if not can_flash(user):
            return JsonResponse({"error": _("only lab staff of a school may flash boards")}, status=403)
        request.user = user
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@token_required
def lesson_bundle(request, slug):
    try:
        data = lesson_zip(slug)
    except UnknownLesson:
        return JsonResponse({"error": _("unknown lesson: %(slug)s") % {"slug": slug}}, status=404)
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
        return JsonResponse({"error": _("body is not JSON")}, status=400)
    if not isinstance(data, dict):
        return JsonResponse({"error": _("body must be a JSON object")}, status=400)
    if field := wrong_type(data):
        return JsonResponse({"error": _("%(field)s: wrong type") % {"field": field}}, status=400)
    for field in ("ok", "kit"):  # a record the API takes always names the kit it is for
        if data.get(field) in (None, ""):
            return JsonResponse({"error": _("%(field)s: required") % {"field": field}}, status=400)
    try:
        saved = record(data, request.user)
    except ValidationError as exc:
        return JsonResponse({"error": reason(exc)}, status=400)
    except PermissionDenied as exc:
        return JsonResponse({"error": str(exc)}, status=403)
    return JsonResponse({"status": _("recorded #%(id)s") % {"id": saved.pk}, "id": saved.pk}, status=201)


@csrf_exempt
@require_POST
@token_required
def kits(request):
    """Before a run: {"codes": [...], "macs": [...]} → {"problems": {code: why}, "macs": {mac: code}},
    the kit codes the run may not use and the kits that already hold these boards (the user's school)."""
    try:
        data = json.loads(request.body)
    except ValueError:
        return JsonResponse({"error": _("body is not JSON")}, status=400)
    if not isinstance(data, dict):
        return JsonResponse({"error": _("body must be a JSON object")}, status=400)
    lists, bad = lookup_lists(data)
    if bad:
        return JsonResponse({"error": _("%(field)s: wrong type") % {"field": bad}}, status=400)
    return JsonResponse(
        {
            "problems": kit_problems(lists["codes"], request.user),
            "macs": kits_by_mac(lists["macs"], request.user),
        }
    )

"""The workspace's one endpoint: the workbench saves a student's code (and check) in one request."""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..workbench_data import lesson_files
from . import policy, services
from .presenters import versions_json


@require_POST
def save(request, lesson_id):
    from ..models import LessonPage

    lesson = get_object_or_404(LessonPage.objects.live().only("id", "path", "program"), pk=lesson_id)
    if not policy.can_save_code(request.user, lesson):
        return JsonResponse({"error": _("Log in to save your code.")}, status=403)
    if any(not restriction.accept_request(request) for restriction in lesson.get_view_restrictions()):
        return JsonResponse({"error": _("You cannot see this lesson.")}, status=403)
    try:
        body = json.loads(request.body)
        _workspace, versions = services.save_code(
            request.user,
            lesson,
            body.get("files"),
            set(lesson_files(lesson.program)),
            body.get("check"),
            new_version=body.get("new_version") is True,
        )
    except (ValueError, AttributeError):
        return JsonResponse({"error": _("The request is not valid.")}, status=400)
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    except PermissionDenied:
        return JsonResponse({"error": _("Log in to save your code.")}, status=403)
    return JsonResponse({"saved": True, "versions": versions_json(versions)})

"""The workspace endpoints: the workbench saves a student's code (and check) in one request; a
teacher reads a student's code and leaves a comment."""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..programs import highlight_micropython
from ..workbench_data import lesson_files
from . import policy, services
from .models import Workspace
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


@login_required
@require_http_methods(["GET", "POST"])
def code(request, workspace_id):
    """A student's saved code, read-only, with its last check; the teacher leaves a comment."""
    workspace = get_object_or_404(Workspace.objects.select_related("student", "lesson"), pk=workspace_id)
    if not policy.can_view_code(request.user, workspace):
        raise Http404  # not even whether it exists
    can_comment = policy.can_comment_code(request.user, workspace)
    if request.method == "POST":
        if not can_comment:
            raise PermissionDenied
        services.comment_on(request.user, workspace, request.POST.get("comment", ""))
        return redirect("courses:workspace:code", workspace_id=workspace.pk)
    files = sorted(workspace.files.items(), key=lambda item: (item[0] != "main.py", item[0]))
    return render(
        request,
        "courses/workspace/code.html",
        {
            "workspace": workspace,
            "student_name": workspace.student.public_name,  # display name only, never the login
            "files": [(path, highlight_micropython(text)) for path, text in files],
            "can_comment": can_comment,
        },
    )

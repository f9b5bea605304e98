"""{% lesson_workbench page %}: the workbench on a lesson page with a bundled program."""

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language

from ..workbench_data import lesson_bench, lesson_files, step_hints
from ..workbench_strings import workbench_strings
from ..workspace import policy, services
from ..workspace.presenters import workspace_json

register = template.Library()


@register.inclusion_tag("courses/includes/workbench.html", takes_context=True)
def lesson_workbench(context, lesson):
    bench = lesson_bench(lesson.program) if lesson.program else None
    files = lesson_files(lesson.program) if bench else {}
    if not files:
        return {"enabled": False}
    request = context.get("request")
    user = getattr(request, "user", None)
    can_save = bool(lesson.pk) and policy.can_save_code(user, lesson)
    workspace = services.workspace_for(user, lesson) if can_save else None
    data = {
        "slug": lesson.program,
        "files": files,
        **bench,
        "steps": step_hints(lesson),  # a failed expectation's hint: its step's words, never code
        "lang": "zh" if (get_language() or "zh").startswith("zh") else "en",
        "strings": workbench_strings(),
        "worker_url": static("courses/workbench/worker.js"),
        "save_url": reverse("courses:workspace:save", args=[lesson.pk]) if can_save else None,
        "csrf_token": str(context.get("csrf_token", "")) if can_save else None,
        "workspace": workspace_json(workspace, services.versions_of(workspace)),
    }
    return {"enabled": True, "data": data, "can_save": can_save}

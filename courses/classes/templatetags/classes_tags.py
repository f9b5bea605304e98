"""`{% lesson_progress %}` on the lesson page: a logged-in student's step ticks and complete button.

Anonymous visitors get nothing (and the page stays cacheable); for a student it costs three queries.
"""

import json

from django import template

from .. import policy, services

register = template.Library()


@register.inclusion_tag("classes/lesson_progress.html", takes_context=True)
def lesson_progress(context, lesson):
    request = context.get("request")
    user = getattr(request, "user", None)
    if not policy.can_record_progress(user):
        return {"enabled": False}
    done_ids, completed = services.lesson_state_for(user, lesson)
    steps, number = [], 0
    # The stored blocks, not the body's values: those would load the body's images (two queries)
    # that the page, rendered from the fragment cache, does not otherwise need.
    for block in getattr(lesson.body, "raw_data", lesson.body):
        if block["type"] == "step":
            number += 1
            steps.append((block["id"], number, block["value"]["heading"]))
    return {
        "enabled": True,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "lesson": lesson,
        "steps": steps,
        "done_ids": done_ids,
        "done_ids_json": json.dumps(sorted(done_ids)),
        "completed": completed,
        "answers": services.answers_for(user, lesson),
    }

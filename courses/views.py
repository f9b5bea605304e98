from django.http import Http404, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from firmware import library


@require_GET
@cache_control(public=True, max_age=3600)
def program_zip(request, slug):
    """A bundled lesson program as a zip, for teachers and students to download."""
    try:
        data = library.lesson_zip(slug)
    except library.UnknownLesson as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{slug}.zip"'
    return response

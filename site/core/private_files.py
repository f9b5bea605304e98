"""Serving a private file (a festival photo) once the policy has said yes, without streaming it
through Django where a better server can send it:

* on an object store with signed URLs (S3 via django-storages): a redirect to a short-lived
  signed URL, so the store sends the bytes and the URL stops working soon after;
* on local disk behind nginx with MEDIA_ACCEL_REDIRECT set (an `internal` location serving
  MEDIA_ROOT): an X-Accel-Redirect header, so nginx sends the file;
* otherwise (development, tests): the file itself.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, HttpResponse, HttpResponseRedirect


def serve(fieldfile, *, max_age=300):
    storage = fieldfile.storage
    if not isinstance(storage, FileSystemStorage):
        response = HttpResponseRedirect(fieldfile.url)  # signed: it expires (AWS_QUERYSTRING_EXPIRE)
    elif settings.MEDIA_ACCEL_REDIRECT:
        response = HttpResponse(content_type="")
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT.rstrip("/") + "/" + fieldfile.name
    else:
        response = FileResponse(fieldfile.open("rb"))
    # Kept less long than a signed URL lives, and only by this browser (the photo may be private).
    response["Cache-Control"] = f"private, max-age={max_age}"
    return response

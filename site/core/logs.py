"""Structured logs with request ids.

`RequestIdMiddleware` gives every request an id — the reverse proxy's X-Request-ID when it sent a
sane one, else a new one — returns it in the X-Request-ID header and puts it on every log record
written while the request is handled (`RequestIdFilter`, field `request_id`; "-" outside requests).
`JsonFormatter` writes one JSON object per line (production: LOG_FORMAT=json, the default there).
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from django.core.signals import request_finished

request_id = contextvars.ContextVar("request_id", default="-")
SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
HEADER = "X-Request-ID"


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        rid = given if SANE_ID.match(given) else uuid.uuid4().hex
        # Not reset on the way out: Django logs 4xx/5xx responses after the middleware chain has
        # returned; `request_finished` clears it.
        request_id.set(rid)
        request.request_id = rid
        response = self.get_response(request)
        response[HEADER] = rid
        return response


def _clear(**kwargs):
    request_id.set("-")


request_finished.connect(_clear, dispatch_uid="makerroom_request_id_clear")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)

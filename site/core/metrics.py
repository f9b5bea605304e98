"""/metrics for Prometheus (django-prometheus), when settings.PROMETHEUS_METRICS is on.

The figures (request counts and latencies per view, response codes, database and cache calls)
are the operators', not the public's: the scraper sends PROMETHEUS_METRICS_TOKEN as a bearer
token, or, when no token is set, only addresses of PROMETHEUS_METRICS_NETWORKS are answered.
"""

import hmac
import ipaddress

from django.conf import settings
from django.http import Http404, HttpResponseForbidden


def _from_allowed_network(request) -> bool:
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(net, strict=False) for net in settings.PROMETHEUS_METRICS_NETWORKS
    )


def may_scrape(request) -> bool:
    token = settings.PROMETHEUS_METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(sent.encode(), token.encode())
    return _from_allowed_network(request)


def metrics(request):
    if not settings.PROMETHEUS_METRICS:
        raise Http404
    if not may_scrape(request):
        return HttpResponseForbidden()
    from django_prometheus.exports import ExportToDjangoView

    return ExportToDjangoView(request)

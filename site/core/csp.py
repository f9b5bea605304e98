"""Content-Security-Policy on every response (django-csp), with a relaxed policy for the admins.

The public site runs no inline script: every script is a static file from our origin, so pages
stored by the page cache carry the same policy as fresh ones (no per-request nonces to go stale).
Event handlers in templates are data attributes that site/static/js/site.js wires up
(data-print, data-autosubmit, data-select-on-click).

Wagtail's admin (and Django's) still writes inline scripts (date pickers, inline panels), so under
ADMIN_PREFIXES the admin policy from settings.CONTENT_SECURITY_POLICY_ADMIN applies instead.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and request.path_info.startswith(ADMIN_PREFIXES):
            admin = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", None)
            if admin:
                return PolicyParts(
                    default_config(admin["DIRECTIVES"]), parts.update, parts.replace, parts.nonce
                )
        return parts

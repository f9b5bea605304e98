# pyright: reportAttributeAccessIssue=false
# (a mixin: dispatch comes from the Wagtail report view it is mixed into)
"""Who may read Wagtail's site-wide reports.

Wagtail opens its reports to every admin user and scopes them by model permissions only: the site
history (and its XLSX/CSV export) listed every school's audit log, with students' display names, to
any role holding a view permission of the model (lab staff of school A read school B's loans); the
page reports listed every course's pages to teachers and organisers.

The rules:

* **Site history**: superusers and city coordinators only (the roles that read every school).
  Filtering it per row instead would have to ask every model's policy for every log entry,
  including entries about users and pages, and a row that slips through names a minor; the
  per-object history views (asked through each model's policy) already give every role the history
  of the rows it may see. So the report is closed rather than filtered.
* **Page reports** (locked pages, aging pages, workflows, workflow tasks, page types): superusers
  and curriculum reviewers, who work on every school's courses; Wagtail's own page-permission
  check then still applies. Teachers, organisers and lab staff use the page explorer, which shows
  them their own pages.

The views are Wagtail's, with this check in front; `urlpatterns` serves them at Wagtail's own
paths (included before the admin in makerroom.urls), and `wagtail_hooks` hides the menu items.
"""

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.locked_pages import LockedPagesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView

from .policy import is_superuser, reads_every_school
from .roles import Role, has_role


def reads_site_history(user):
    return reads_every_school(user)


def reads_page_reports(user):
    return is_superuser(user) or has_role(user, Role.REVIEWER)


# Wagtail's report menu item names, and who may see each.
MENU_RULES = {
    "site-history": reads_site_history,
    "locked-pages": reads_page_reports,
    "aging-pages": reads_page_reports,
    "workflows": reads_page_reports,
    "workflow-tasks": reads_page_reports,
    "page-types-usage": reads_page_reports,
}


class RestrictedReportMixin:
    """Refuse (403) before Wagtail's view does anything, export included."""

    allowed = staticmethod(lambda user: False)

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SiteHistoryView(RestrictedReportMixin, LogEntriesView):
    allowed = staticmethod(reads_site_history)


class LockedPagesReportView(RestrictedReportMixin, LockedPagesView):
    allowed = staticmethod(reads_page_reports)


class AgingPagesReportView(RestrictedReportMixin, AgingPagesView):
    allowed = staticmethod(reads_page_reports)


class WorkflowReportView(RestrictedReportMixin, WorkflowView):
    allowed = staticmethod(reads_page_reports)


class WorkflowTasksReportView(RestrictedReportMixin, WorkflowTasksView):
    allowed = staticmethod(reads_page_reports)


class PageTypesReportView(RestrictedReportMixin, PageTypesUsageReportView):
    allowed = staticmethod(reads_page_reports)


def _admin(view):
    """What Wagtail's admin URLs get: the admin-access check and no caching."""
    return never_cache(require_admin_access(view))


def _pair(prefix, view_class, name):
    return [
        path(f"{prefix}/", _admin(view_class.as_view()), name=name),
        path(f"{prefix}/results/", _admin(view_class.as_view(results_only=True)), name=f"{name}_results"),
    ]


app_name = "core_reports"
urlpatterns = [
    *_pair("locked", LockedPagesReportView, "locked_pages"),
    *_pair("workflow", WorkflowReportView, "workflow"),
    *_pair("workflow_tasks", WorkflowTasksReportView, "workflow_tasks"),
    *_pair("site-history", SiteHistoryView, "site_history"),
    *_pair("aging-pages", AgingPagesReportView, "aging_pages"),
    *_pair("page-types-usage", PageTypesReportView, "page_types_usage"),
]

"""Wagtail's site-wide reports show only what the viewer may see (makerroom.core.reports).

The site history (page, results, XLSX/CSV export) is for superusers and city coordinators; page
reports for superusers and curriculum reviewers. Before: lab staff of school A read school B's
audit log (B's grants and loans, B's students' display names), and teachers and organisers read
the page reports.
"""

import pytest
from django.test import Client
from django.urls import reverse

SITE_HISTORY = [
    reverse("wagtailadmin_reports:site_history"),
    reverse("wagtailadmin_reports:site_history_results"),
    reverse("wagtailadmin_reports:site_history") + "?export=csv",
    reverse("wagtailadmin_reports:site_history") + "?export=xlsx",
]
PAGE_REPORTS = [
    reverse(f"wagtailadmin_reports:{name}")
    for name in ("locked_pages", "aging_pages", "workflow", "workflow_tasks", "page_types_usage")
]

pytestmark = pytest.mark.django_db


def as_user(user):
    client = Client()
    client.force_login(user)
    return client


def refused(response):
    return response.status_code in (403, 404) or (
        response.status_code == 302
        and response["Location"] in (reverse("wagtailadmin_home"), "/admin/login/")
    )


def body(response):
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        from io import BytesIO

        from openpyxl import load_workbook

        sheet = load_workbook(BytesIO(data)).active
        return "\n".join(" ".join(str(cell) for cell in row if cell is not None) for row in sheet.values)
    return data.decode()


@pytest.mark.parametrize("url", SITE_HISTORY)
def test_lab_staff_do_not_read_the_city_audit_log(world, url):
    """School A's lab staff must not see B's rows or B's student in the site history (or its export)."""
    response = as_user(world.a.labstaff).get(url)
    if refused(response):
        return
    text = body(response)
    assert world.b.school.name not in text, "school B's audit entries shown to school A's lab staff"
    assert world.b.student.display_name not in text, "school B's student named to school A's lab staff"
    pytest.fail(f"the site history is open to lab staff ({response.status_code})")


@pytest.mark.parametrize("role", ["teacher", "organiser", "labstaff", "other_teacher"])
@pytest.mark.parametrize("url", SITE_HISTORY[:2])
def test_site_history_is_closed_to_school_roles(world, role, url):
    assert refused(as_user(world.user(role)).get(url))


@pytest.mark.parametrize("role", ["coordinator", "superuser"])
def test_coordinators_and_superusers_read_every_school(world, role):
    client = as_user(world.user(role))
    response = client.get(SITE_HISTORY[0])
    assert response.status_code == 200
    text = body(response)
    assert world.a.school.name in text and world.b.school.name in text
    export = client.get(SITE_HISTORY[3])
    assert export.status_code == 200
    assert world.b.school.name in body(export)


@pytest.mark.parametrize("role", ["teacher", "other_teacher", "organiser", "labstaff", "coordinator"])
@pytest.mark.parametrize("url", PAGE_REPORTS)
def test_page_reports_are_closed_to_teachers_organisers_and_lab_staff(world, role, url):
    response = as_user(world.user(role)).get(url)
    assert refused(response), f"{role} reads {url}: {response.status_code}"


@pytest.mark.parametrize("url", PAGE_REPORTS[1:])
def test_reviewers_read_the_page_reports(world, url):
    assert as_user(world.user("reviewer")).get(url).status_code == 200


def test_the_reports_menu_lists_only_readable_reports(world):
    from django.test import RequestFactory
    from wagtail.admin.menu import reports_menu

    def names(user):
        request = RequestFactory().get("/admin/")
        request.user = user
        return {item.name for item in reports_menu.menu_items_for_request(request)}

    closed = {
        "site-history",
        "city-site-history",
        "aging-pages",
        "locked-pages",
        "workflows",
        "page-types-usage",
    }
    assert not names(world.a.labstaff) & closed
    assert not names(world.a.teacher) & closed
    assert not names(world.user("organiser")) & closed
    assert "city-site-history" in names(world.user("coordinator"))
    assert "city-site-history" in names(world.user("superuser"))
    assert "site-history" not in names(world.user("superuser"))  # one item, not two

"""axe-core (npm, tests/e2e/node_modules) over the pages every role uses, at desktop width: no serious
or critical violation. Each page is checked as the role that sees it; a failure lists every rule,
its impact and the elements, so it says where to fix.

Injected with the DevTools protocol (bypass_csp), never fetched: nothing leaves the machine."""

from pathlib import Path

import pytest

from tests.e2e.conftest import DESKTOP

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = {"serious", "critical"}

RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " — " + (n.failureSummary || "").split("\\n").slice(1, 2).join("")),
  }));
}"""


def violations(page):
    """The serious and critical axe violations of the page as loaded."""
    page.add_script_tag(path=str(AXE))
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in SERIOUS]


def describe(found):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in found
    )


@pytest.fixture
def visit(browser, live_server):
    """visit(path, user=None) -> the serious/critical violations of that page, seen as that demo user."""
    from django.conf import settings

    contexts = {}

    def go(path, user=None):
        if user not in contexts:
            context = browser.new_context(viewport=DESKTOP, locale="zh-CN", bypass_csp=True)
            page = context.new_page()
            page.set_default_timeout(20_000)
            if user:
                page.goto(f"{live_server.url}/accounts/login/")
                page.fill("#id_username", user)
                page.fill("#id_password", settings.DEMO_PASSWORD)
                page.click("form button[type=submit]")
                page.wait_for_load_state()
            contexts[user] = page
        page = contexts[user]
        response = page.goto(live_server.url + path)
        assert response.status == 200, (path, user, response.status)
        page.wait_for_load_state("networkidle")
        return violations(page)

    yield go
    for page in contexts.values():
        page.context.close()


def _urls():
    """The demo pages to check, found in the seeded data."""
    from courses.classes.models import Assignment
    from courses.models import CourseIndexPage, LessonPage
    from festival.models import FestivalEditionPage

    lesson = LessonPage.objects.live().public().order_by("path").first()
    assignment = Assignment.objects.select_related("school_class").order_by("pk").first()
    return {
        "home": "/",
        "course list": CourseIndexPage.objects.live().filter(locale__language_code="zh-hans").first().url,
        "lesson": lesson.url,
        "gallery": "/judging/gallery/",
        "edition": FestivalEditionPage.objects.live().order_by("year").first().url,
        "class dashboard": f"/classes/{assignment.school_class_id}/courses/{assignment.course_id}/",
    }


PUBLIC = ["home", "course list", "lesson", "gallery", "edition"]


@pytest.mark.parametrize("name", PUBLIC)
def test_public_pages_have_no_serious_violations(live_server, demo_site, visit, name):
    found = visit(_urls()[name])
    assert not found, f"{name}:\n{describe(found)}"


def test_the_lesson_as_a_student_has_no_serious_violations(live_server, demo_site, visit):
    found = visit(_urls()["lesson"], user="student")
    assert not found, describe(found)


def test_my_courses_as_a_student_has_no_serious_violations(live_server, demo_site, visit):
    found = visit("/classes/my/", user="student")
    assert not found, describe(found)


def test_the_class_dashboard_has_no_serious_violations(live_server, demo_site, visit):
    found = visit(_urls()["class dashboard"], user="teacher")
    assert not found, describe(found)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/kits/dashboard/",
        "/admin/snippets/kits/purchase/add/",
        "/admin/kits/loans/new/",
        "/admin/kits/import/",
    ],
)
def test_lab_staff_forms_have_no_serious_violations(live_server, demo_site, visit, path):
    found = visit(path, user="labstaff")
    assert not found, f"{path}:\n{describe(found)}"


@pytest.mark.parametrize("path", ["/no-such-page/", "/judging/score/"])
def test_error_pages_have_no_serious_violations(live_server, demo_site, browser, path):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + path)
    found = violations(page)
    context.close()
    assert not found, describe(found)

"""The admin pages teachers and lab staff work in, rendered for a Chinese user: no English sentence
left (Wagtail 8's zh_Hans catalogue lacks some, the site catalogue adds them), and the Pages menu
says 页面 (the site's pagination no longer shadows it)."""

import json
import re
from html.parser import HTMLParser

import pytest
from makerroom.core.roles import Role
from wagtail.models import WorkflowState

from courses.models import CourseIndexPage, CoursePage, LessonPage
from kits.models import MakerRoom
from tests.courses.conftest import make_lesson
from tests.factories import make_school

pytestmark = pytest.mark.django_db

# Words that are right in English on a Chinese page: the language switch, product names, keys.
ALLOWED = {
    "English",
    "Wagtail",
    "JavaScript",
    "MicroPython",
    "ESP32",
    "LED",
    "API",
    "URL",
    "Esc",
    "Ctrl",
    "Alt",
}
ALLOWED |= {"Shift", "Enter", "Cmd", "Option", "Tab", "Space"}
CJK = re.compile(r"[\u4e00-\u9fff]")
# Fragments seen on the Chinese admin before, from Wagtail strings without a zh_Hans translation.
FIXED = [
    "Insert a block",
    "awaiting moderation",
    "is locked",
    "Content metrics",
    "Reading time",
    "Choose when this page should go live",
    "Save your changes before leaving",
    "created in",
    "No one can make changes",
    "Only reviewers",
    'aria-label="Actions"',
]


class _Text(HTMLParser):
    """Visible text and the attributes people hear or see (aria-label, title, placeholder, alt)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.parts, self._skip, self._hidden = [], 0, []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg"):
            self._skip += 1
        if tag not in self.VOID:
            self._hidden.append((tag, "hidden" in dict(attrs)))
        if any(hidden for _, hidden in self._hidden):
            return
        for name, value in attrs:
            if (
                name in ("aria-label", "title", "placeholder", "alt", "data-w-tooltip-content-value")
                and value
            ):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg") and self._skip:
            self._skip -= 1
        while self._hidden and self._hidden.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if not self._skip and not any(hidden for _, hidden in self._hidden) and data.strip():
            self.parts.append(data.strip())


def english_in(html, allowed=()):
    parser = _Text()
    parser.feed(html)
    found = []
    for text in parser.parts:
        if re.fullmatch(r"[a-z0-9_.-]+|CC[0 ][A-Z0-9 .-]*|MIT|Apache 2\.0|MakerRoom", text):
            continue  # lesson program names (blink, wifi-led), licence identifiers, the site's name
        words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’-]{2,}", text) if w not in ALLOWED | set(allowed)]
        # an English text, or an English sentence around a translated word ("This 页面 is currently…")
        if words and (not CJK.search(text) or re.search(r"[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}", text)):
            found.append(text)
    return found


def menu_labels(html):
    start = html.index('id="wagtail-sidebar-props"')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    return json.dumps(json.loads(body), ensure_ascii=False)


def assert_chinese(html, url, allowed=()):
    for fragment in FIXED:
        assert fragment not in html, (url, fragment)
    english = english_in(html, allowed)
    assert not english, (url, english)


@pytest.fixture
def school():
    return make_school("SZ-0012", "深圳市南山区创新实验学校")


@pytest.fixture
def course(home_page, school):
    index = CourseIndexPage(title="课程", slug="courses", intro="全市创客课程")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    course = CoursePage(
        title="创客启蒙：点亮第一盏灯",
        slug="first-light",
        school=school,
        summary="点亮第一盏灯的课程简介",
        level="first-steps",
        total_hours=8,
        objectives="认识 ESP32",
    )
    index.add_child(instance=course)
    course.save_revision().publish()
    return course


@pytest.fixture
def teacher(make_user, school):
    return make_user("li", role=Role.TEACHER, school=school, display_name="李老师")


@pytest.fixture
def labstaff(make_user, school):
    MakerRoom.objects.create(school=school, name="创客实践室", location="科技楼 3 楼")
    return make_user("wang", role=Role.LAB_STAFF, school=school, display_name="王老师")


def test_the_admin_home_says_pages_in_chinese(client, teacher, labstaff, course):
    for user in (teacher, labstaff):
        client.force_login(user)
        html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        labels = menu_labels(html)
        assert "分页" not in labels
        if user == teacher:
            assert '"页面"' in labels
        assert_chinese(html, f"/admin/ ({user.username})")


def test_a_teacher_edits_a_lesson_in_chinese(client, teacher, course):
    lesson = make_lesson(course, "第一课：点亮 LED")
    client.force_login(teacher)
    html = client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert "内容统计" in html and "阅读时间" in html  # the checks panel (Content metrics, Reading time)
    assert "选择此页面的发布时间和/或过期时间" in html  # the schedule publishing panel
    assert 'aria-label="动作"' in html
    assert_chinese(html, "lesson edit")
    # the course's listing of its lessons
    html = client.get(f"/admin/pages/{course.pk}/").content.decode()
    assert "第一课：点亮 LED" in html
    assert_chinese(html, "page listing")
    # the block editor's strings come from the JavaScript catalogue
    js = client.get("/admin/jsi18n/").content.decode("unicode_escape")
    assert '"Insert a block": "插入区块"' in js


def test_a_lesson_awaiting_review_says_so_in_chinese(client, teacher, course):
    lesson = make_lesson(course, "第二课：呼吸灯", publish=False)
    client.force_login(teacher)
    lesson.get_workflow().start(lesson, teacher)
    assert WorkflowState.objects.filter(object_id=str(lesson.pk), status="in_progress").exists()
    html = client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert "正在等待" in html or "等待审核" in html
    assert_chinese(html, "lesson in review")
    assert LessonPage.objects.get(pk=lesson.pk).title == "第二课：呼吸灯"


def test_lab_staff_snippet_listings_are_chinese(client, labstaff):
    client.force_login(labstaff)
    for url in (
        "/admin/snippets/kits/asset/",
        "/admin/snippets/kits/purchase/",
        "/admin/snippets/kits/loan/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "分页" not in menu_labels(html)
        assert_chinese(html, url)


def test_a_reviewer_reads_the_reports_in_chinese(client, make_user, school, teacher, course):
    lesson = make_lesson(course, "第三课：按钮", publish=False)
    lesson.get_workflow().start(lesson, teacher)
    client.force_login(make_user("zhang", role=Role.REVIEWER, school=school, display_name="张组长"))
    for url in (
        "/admin/reports/workflow/",
        "/admin/reports/workflow_tasks/",
        "/admin/reports/aging-pages/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        # Wagtail's aging pages report prints "None" for a page published by no user (seeded pages)
        assert_chinese(response.content.decode(), url, allowed={"None"} if "aging" in url else ())


def test_the_editor_bar_on_a_lesson_is_chinese(client, teacher, course):
    lesson = make_lesson(course, "第一课：点亮 LED")
    client.force_login(teacher)
    html = client.get(lesson.url).content.decode()
    userbar = html[html.index('<template id="wagtail-userbar-template">') :]
    userbar = userbar[: userbar.index("</template>")]
    assert "编辑此页面" in userbar or "编辑" in userbar
    assert_chinese(userbar, "userbar")

"""Who may do what with courses, role by role, through the real Wagtail admin views."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from makerroom.core import roles
from makerroom.core.roles import Role
from wagtail.models import Revision, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from courses.models import LessonPage
from courses.publishing import TASK_NAME, WORKFLOW_NAME
from kits.models import ToolType

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, school, other_school):
    return {
        "teacher": make_user("li", role=roles.Role.TEACHER, school=school),
        "other_teacher": make_user("wang", role=roles.Role.TEACHER, school=other_school),
        "reviewer": make_user("zhang", role=Role.REVIEWER, school=other_school),
        "student": make_user("xiaoming", role=roles.Role.STUDENT, school=school),
        "labstaff": make_user("lab", role=roles.Role.LAB_STAFF, school=school),
        "judge": make_user("judge", role=roles.Role.JUDGE, school=school),
        "organiser": make_user("org", role=roles.Role.ORGANISER, school=school),
        "superuser": make_user("root", is_superuser=True, is_staff=True),
    }


def lesson_form(title="用舵机做点头机器人", slug="nodding-robot", parts=None):
    servo = str(ToolType.objects.get(slug="sg90-servo").pk)
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": "用 PWM 控制舵机角度",
            "duration_minutes": "45",
            "licence": "CC-BY-SA-4.0",
            "objectives": "会用 PWM 控制舵机",
            "program": "blink",
            "prerequisite_links": inline_formset([]),
            "parts": parts if parts is not None else inline_formset([{"tool_type": servo, "quantity": "1"}]),
            "body": streamfield(
                [
                    ("text", rich_text("<p>舵机的角度由脉冲宽度决定。</p>")),
                    (
                        "code",
                        {
                            "filename": "main.py",
                            "code": "from machine import Pin, PWM\nservo = PWM(Pin(13), freq=50)",
                        },
                    ),
                ]
            ),
            "comments": inline_formset([]),
        }
    )


EDIT_COURSE = {  # expected status of GET /admin/pages/<course>/edit/ (302: sent back to the dashboard or login)
    "anonymous": 302,
    "teacher": 200,
    "other_teacher": 302,
    "reviewer": 200,
    "student": 302,
    "labstaff": 302,
    "judge": 302,
    "organiser": 302,
    "superuser": 200,
}


@pytest.mark.parametrize("who,expected", EDIT_COURSE.items())
def test_who_may_edit_a_course(client, people, make_course, who, expected):
    course = make_course()
    if who != "anonymous":
        client.force_login(people[who])
    response = client.get(f"/admin/pages/{course.pk}/edit/")
    assert response.status_code == expected
    if expected == 302:  # back to the dashboard (no permission here) or to the login (no admin access)
        assert response["Location"] == "/admin/" or response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    "who,allowed",
    [
        ("teacher", True),
        ("other_teacher", False),
        ("student", False),
        ("labstaff", False),
        ("superuser", True),
    ],
)
def test_who_may_add_a_lesson_to_a_course(client, people, make_course, who, allowed):
    course = make_course()
    client.force_login(people[who])
    response = client.post(
        f"/admin/pages/add/courses/lessonpage/{course.pk}/", {**lesson_form(), "action-submit": "1"}
    )
    created = LessonPage.objects.filter(slug="nodding-robot").first()
    assert (created is not None) == allowed, response.content.decode()[:2000]
    if not allowed:
        assert response.status_code == 302
        assert response["Location"] == "/admin/" or response["Location"].startswith("/admin/login/")


def test_teacher_submits_reviewer_approves_anonymous_sees(client, people, make_course):
    course = make_course()
    client.force_login(people["teacher"])
    response = client.post(
        f"/admin/pages/add/courses/lessonpage/{course.pk}/", {**lesson_form(), "action-submit": "1"}
    )
    assert response.status_code == 302
    lesson = LessonPage.objects.get(slug="nodding-robot")
    assert not lesson.live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(lesson.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == WORKFLOW_NAME and state.current_task_state.task.name == TASK_NAME
    # a teacher cannot publish directly: the publish action keeps the page in draft
    assert not lesson.permissions_for_user(people["teacher"]).can_publish()
    client.post(f"/admin/pages/{lesson.pk}/edit/", {**lesson_form(), "action-publish": "1"})
    assert not LessonPage.objects.get(pk=lesson.pk).live
    client.logout()
    assert client.get(lesson.url).status_code == 404

    task_state_id = state.current_task_state.pk
    approve = f"/admin/pages/workflow/action/{lesson.pk}/approve/{task_state_id}/"
    for who in ("teacher", "student", "other_teacher"):
        client.force_login(people[who])
        client.post(approve, {"comment": ""})
        assert not LessonPage.objects.get(pk=lesson.pk).live, who

    client.force_login(people["reviewer"])
    response = client.post(approve, {"comment": "内容准确，可以发布"})
    assert response.status_code in (200, 302)
    lesson.refresh_from_db()
    assert lesson.live
    client.logout()
    page = client.get(lesson.url)
    assert page.status_code == 200 and "舵机的角度由脉冲宽度决定" in page.content.decode()


def test_teacher_cannot_move_delete_or_publish_another_schools_course(people, make_course, other_school):
    theirs = make_course("罗湖区的课程", school=other_school)
    tester = theirs.permissions_for_user(people["teacher"])
    assert not (
        tester.can_edit()
        or tester.can_delete()
        or tester.can_publish()
        or tester.can_add_subpage()
        or tester.can_move()
        or tester.can_submit_for_moderation()
    )
    own = theirs.permissions_for_user(people["other_teacher"])
    assert own.can_edit() and own.can_add_subpage() and not own.can_publish()


def test_teacher_course_form_offers_only_their_school(client, people, course_index, school, other_school):
    client.force_login(people["teacher"])
    html = client.get(f"/admin/pages/add/courses/coursepage/{course_index.pk}/").content.decode()
    assert school.name in html and other_school.name not in html


def test_alt_text_is_required_on_image_upload(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import make_image

    png = make_image().file.open("rb").read()
    client.force_login(people["teacher"])
    upload = {"title": "电路图", "file": SimpleUploadedFile("circuit.png", png, content_type="image/png")}
    response = client.post("/admin/images/add/", upload)
    assert response.status_code == 200  # the form comes back with an error
    assert "description" in response.context["form"].errors
    upload = {
        "title": "电路图",
        "description": "LED 接 GPIO2",
        "file": SimpleUploadedFile("c.png", png, content_type="image/png"),
    }
    assert client.post("/admin/images/add/", upload).status_code == 302


def _submit_new_lesson(client, teacher, course, action="action-submit", **extra):
    client.force_login(teacher)
    response = client.post(
        f"/admin/pages/add/courses/lessonpage/{course.pk}/", {**lesson_form(), **extra, action: "1"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return LessonPage.objects.get(slug="nodding-robot")


def _approve(client, reviewer, lesson):
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(lesson.pk))
    client.force_login(reviewer)
    task_state_id = state.current_task_state.pk
    client.post(f"/admin/pages/workflow/action/{lesson.pk}/approve/{task_state_id}/", {"comment": ""})


def test_teacher_previews_a_new_lesson_without_publishing_it(client, people, make_course, course_index):
    course = make_course()
    client.force_login(people["teacher"])
    preview_url = f"/admin/pages/add/courses/lessonpage/{course.pk}/preview/"
    assert client.post(preview_url, lesson_form()).json()["is_valid"]
    html = client.get(preview_url).content.decode()
    assert "舵机的角度由脉冲宽度决定" in html and 'class="highlight"' in html
    # the breadcrumb works outside the normal routing too
    assert f'href="{course_index.url}"' in html and f'href="{course.url}"' in html
    assert not LessonPage.objects.filter(slug="nodding-robot").exists()
    # another school's teacher cannot preview edits of this course's lessons
    lesson = _submit_new_lesson(client, people["teacher"], course)
    client.force_login(people["other_teacher"])
    response = client.post(f"/admin/pages/{lesson.pk}/edit/preview/", lesson_form())
    assert response.status_code in (302, 403)


def test_every_save_is_a_revision_the_author_can_compare_and_revert(client, people, make_course):
    course = make_course()
    lesson = _submit_new_lesson(client, people["teacher"], course, action="action-save")
    part = lesson.parts.get()  # the edit form carries the existing part's id, as the admin's does
    parts = inline_formset(
        [{"id": str(part.pk), "tool_type": str(part.tool_type_id), "quantity": "2"}], initial=1
    )
    response = client.post(
        f"/admin/pages/{lesson.pk}/edit/",
        {**lesson_form(title="用舵机做点头机器人（第二稿）", parts=parts), "action-save": "1"},
    )
    assert response.status_code == 302
    revisions = list(Revision.page_revisions.filter(object_id=str(lesson.pk)).order_by("created_at"))
    assert [revision.content["title"] for revision in revisions] == [
        "用舵机做点头机器人",
        "用舵机做点头机器人（第二稿）",
    ]
    assert all(revision.user == people["teacher"] for revision in revisions)
    first = revisions[0]
    assert client.get(f"/admin/pages/{lesson.pk}/history/").status_code == 200
    assert client.get(f"/admin/pages/{lesson.pk}/revisions/{first.pk}/view/").status_code == 200
    revert = client.get(f"/admin/pages/{lesson.pk}/revisions/{first.pk}/revert/")
    assert revert.status_code == 200 and "用舵机做点头机器人" in revert.content.decode()
    # not for another school's teacher
    client.force_login(people["other_teacher"])
    assert client.get(f"/admin/pages/{lesson.pk}/revisions/{first.pk}/revert/").status_code in (302, 403)


def test_an_approved_lesson_scheduled_for_later_goes_live_only_at_that_time(client, people, make_course):
    course = make_course()
    go_live_at = timezone.localtime() + timedelta(days=2)
    lesson = _submit_new_lesson(
        client, people["teacher"], course, go_live_at=go_live_at.strftime("%Y-%m-%d %H:%M")
    )
    _approve(client, people["reviewer"], lesson)
    lesson.refresh_from_db()
    revision = lesson.latest_revision
    assert not lesson.live and revision.approved_go_live_at is not None
    call_command("publish_scheduled")
    lesson.refresh_from_db()
    assert not lesson.live
    client.logout()
    assert client.get(f"{course.url}nodding-robot/").status_code == 404

    # the day comes: Wagtail's scheduled publishing (a cron job running publish_scheduled) publishes it
    due = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = due.isoformat()
    revision.approved_go_live_at = due
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    lesson.refresh_from_db()
    assert lesson.live
    assert client.get(lesson.url).status_code == 200


def test_editor_and_userbar_run_the_accessibility_checker(client, people, make_course, lesson_factory):
    lesson = lesson_factory(make_course(), "点亮第一盏灯")
    client.force_login(people["teacher"])
    editor = client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert 'data-side-panel="checks"' in editor and 'id="checker-axe-configuration"' in editor
    # and the userbar on the lesson page itself, for a logged-in teacher
    assert 'id="checker-axe-configuration"' in client.get(lesson.url).content.decode()


def test_the_same_part_twice_is_a_form_error_not_a_crash(client, people, make_course):
    course = make_course()
    servo = str(ToolType.objects.get(slug="sg90-servo").pk)
    twice = inline_formset([{"tool_type": servo, "quantity": "1"}, {"tool_type": servo, "quantity": "2"}])
    client.force_login(people["teacher"])
    response = client.post(
        f"/admin/pages/add/courses/lessonpage/{course.pk}/", {**lesson_form(parts=twice), "action-save": "1"}
    )
    assert response.status_code == 200  # the form comes back with the error
    assert not LessonPage.objects.filter(slug="nodding-robot").exists()

"""The student's workspace: code saved per lesson in one small request, a few versions kept,
the check result recorded with it; visitors without an account save nothing."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from courses.workspace import policy, services
from courses.workspace.models import Workspace, WorkspaceVersion

pytestmark = pytest.mark.django_db

CHECK = {
    "ok": False,
    "first_wrong_us": 800000,
    "results": [
        {
            "index": 0,
            "kind": "toggle",
            "ok": False,
            "at_us": 800000,
            "code": "wrong_interval",
            "params": {"got_ms": 800},
            "step": 4,  # the lesson step whose words are the hint (shown again after a reload)
            "extra": "x",
        }
    ],
}


@pytest.fixture
def lesson(make_course, lesson_factory):
    return lesson_factory(make_course(), "点亮 LED", program="blink")


@pytest.fixture
def student(make_user):
    return make_user("xiaoming")


def save(client, lesson, body):
    return client.post(
        reverse("courses:workspace:save", args=[lesson.pk]), json.dumps(body), content_type="application/json"
    )


def test_a_student_saves_code_and_gets_the_versions_back(client, lesson, student):
    client.force_login(student)
    response = save(client, lesson, {"files": {"main.py": "print(1)\n"}})
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] and [v["files"] for v in body["versions"]] == [{"main.py": "print(1)\n"}]
    workspace = Workspace.objects.get(student=student, lesson=lesson)
    assert workspace.files == {"main.py": "print(1)\n"} and workspace.check_passed is None


def test_saving_is_one_small_request_with_bounded_queries(
    client, lesson, student, django_assert_max_num_queries
):
    client.force_login(student)
    save(client, lesson, {"files": {"main.py": "a = 1\n"}})
    for i in range(8):  # the history grows; the cost of a save does not
        services.save_code(student, lesson, {"main.py": f"a = {i}\n"}, {"main.py"}, CHECK)
    with django_assert_max_num_queries(14):
        assert save(client, lesson, {"files": {"main.py": "a = 2\n"}, "check": CHECK}).status_code == 200


def test_a_check_result_is_recorded_with_the_code_and_kept_to_known_fields(lesson, student):
    workspace, versions = services.save_code(student, lesson, {"main.py": "x"}, {"main.py"}, CHECK)
    assert workspace.check_passed is False and workspace.checked_at is not None
    assert workspace.check_result["results"][0] == {
        k: v for k, v in CHECK["results"][0].items() if k != "extra"
    }
    assert versions[0].check_passed is False


def test_autosave_updates_the_newest_version_and_a_check_starts_a_new_one(lesson, student):
    for text in ("a", "ab", "abc"):
        services.save_code(student, lesson, {"main.py": text}, {"main.py"})
    assert [v.files["main.py"] for v in WorkspaceVersion.objects.all()] == ["abc"]
    services.save_code(student, lesson, {"main.py": "abcd"}, {"main.py"}, CHECK)
    assert [v.files["main.py"] for v in WorkspaceVersion.objects.all()] == ["abcd", "abc"]


def test_putting_back_the_lesson_code_keeps_the_students_code_a_version_back(lesson, student):
    services.save_code(student, lesson, {"main.py": "mine"}, {"main.py"})
    services.save_code(student, lesson, {"main.py": "lesson"}, {"main.py"}, new_version=True)
    assert [v.files["main.py"] for v in WorkspaceVersion.objects.all()] == ["lesson", "mine"]


def test_only_a_few_versions_are_kept(lesson, student):
    for i in range(services.KEEP_VERSIONS + 3):
        services.save_code(student, lesson, {"main.py": str(i)}, {"main.py"}, CHECK)
    kept = [v.files["main.py"] for v in WorkspaceVersion.objects.all()]
    assert kept == [str(i) for i in range(services.KEEP_VERSIONS + 2, 2, -1)]


def test_only_the_lessons_own_files_and_a_sane_size_are_saved(lesson, student):
    with pytest.raises(ValidationError):
        services.save_code(student, lesson, {"boot.py": "x"}, {"main.py"})
    with pytest.raises(ValidationError):
        services.save_code(student, lesson, {"main.py": "x" * (services.MAX_BYTES + 1)}, {"main.py"})
    with pytest.raises(ValidationError):
        services.save_code(student, lesson, {"main.py": "x"}, {"main.py"}, {"ok": "yes"})


def test_the_view_answers_bad_requests_with_a_reason(client, lesson, student):
    client.force_login(student)
    assert save(client, lesson, {"files": {"../etc/passwd": "x"}}).status_code == 400
    response = client.post(
        reverse("courses:workspace:save", args=[lesson.pk]), "not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert client.get(reverse("courses:workspace:save", args=[lesson.pk])).status_code == 405


def test_an_anonymous_visitor_saves_nothing(client, lesson):
    assert save(client, lesson, {"files": {"main.py": "x"}}).status_code == 403
    assert not Workspace.objects.exists()
    with pytest.raises(PermissionDenied):
        services.save_code(None, lesson, {"main.py": "x"}, {"main.py"})


def test_a_student_sees_only_their_own_code(lesson, student, make_user):
    workspace, _ = services.save_code(student, lesson, {"main.py": "x"}, {"main.py"})
    assert policy.can_view_code(student, workspace)
    assert not policy.can_view_code(make_user("xiaohong"), workspace)
    assert services.workspace_for(make_user("xiaogang"), lesson) is None


def test_saved_code_for_the_dashboard_in_one_query(lesson, student, make_user, django_assert_num_queries):
    other = make_user("xiaohong")
    checked, _ = services.save_code(student, lesson, {"main.py": "x"}, {"main.py"}, CHECK)
    unchecked, _ = services.save_code(other, lesson, {"main.py": "x"}, {"main.py"})
    nothing_saved = make_user("xiaogang")
    with django_assert_num_queries(1):
        code = services.saved_code([student.pk, other.pk, nothing_saved.pk], [lesson.pk])
    assert set(code) == {(student.pk, lesson.pk), (other.pk, lesson.pk)}  # no code saved: absent
    mine, theirs = code[(student.pk, lesson.pk)], code[(other.pk, lesson.pk)]
    assert (mine.id, mine.passed, theirs.id, theirs.passed) == (checked.pk, False, unchecked.pk, None)
    assert mine.checked_at is not None and theirs.checked_at is None and theirs.saved_at

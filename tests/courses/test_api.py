import pytest

pytestmark = pytest.mark.django_db


def test_api_lists_published_courses_and_lessons_only(client, make_course, lesson_factory):
    course = make_course("创客启蒙：点亮第一盏灯")
    published = lesson_factory(course, "点亮第一盏灯")
    draft = lesson_factory(course, "还在写的课", publish=False)

    courses = client.get("/api/v2/courses/?fields=level,stage_slugs,licence,author_names").json()
    assert [item["title"] for item in courses["items"]] == ["创客启蒙：点亮第一盏灯"]
    assert courses["items"][0]["level"] == "first-steps" and courses["items"][0]["stage_slugs"] == ["primary"]
    assert courses["items"][0]["licence"] == "CC-BY-SA-4.0"

    lessons = client.get("/api/v2/lessons/?fields=duration_minutes,parts_list,program").json()
    assert [item["id"] for item in lessons["items"]] == [published.pk]
    assert {"tool_type": "esp32-devkit", "name": "ESP32 开发板", "quantity": 1} in lessons["items"][0][
        "parts_list"
    ]
    assert client.get(f"/api/v2/lessons/{draft.pk}/").status_code == 404
    detail = client.get(f"/api/v2/lessons/{published.pk}/").json()
    assert [block["type"] for block in detail["body"]][:2] == ["step", "text"]


def test_api_is_read_only(client, make_course):
    course = make_course()
    assert client.post("/api/v2/courses/", {"title": "x"}).status_code == 405
    assert client.delete(f"/api/v2/courses/{course.pk}/").status_code == 405


def test_the_api_gives_no_answer_to_check_your_understanding(client, make_course, lesson_factory):
    """Issue 11: the correct choice and the explanation are not in the API (lessons nor pages)."""
    course = make_course()
    lesson = lesson_factory(course, "点亮第一盏灯", blocks=6)
    for url in (
        f"/api/v2/lessons/{lesson.pk}/",
        f"/api/v2/pages/{lesson.pk}/",
        "/api/v2/lessons/?fields=body",
        "/api/v2/pages/?type=courses.LessonPage&fields=body",
    ):
        data = client.get(url).json()
        items = data.get("items", [data])
        questions = [b for item in items for b in item["body"] if b["type"] == "question"]
        assert questions, url
        for block in questions:
            assert block["value"]["question"] == "电阻的作用是什么？"
            assert block["value"]["choices"] == [{"text": "限制电流"}, {"text": "让 LED 更亮"}]
        text = str(data)
        assert "correct" not in text and "电阻限制电流。" not in text, url

"""Hints from the lesson's steps: every expectation belongs to a step of the lesson page (named in
lesson.toml as `step = N`, else by order); a failed check shows that step's own words and a link
to it, never code. The step is found by the page's own checker (firmware/vboard/checker.mjs)."""

import json

import pytest
from django.test import Client

from tests.workbench.checking import LESSONS, check_job, check_traces, lesson_spec, run_in_node
from tests.workbench.test_expectations import BROKEN, SLUGS

TOGGLE = {"kind": "toggle", "pin": 2, "period_ms": 500, "zh": "闪", "en": "blink"}
# GPIO 2 that never changes: every toggle expectation fails.
STILL = {"status": "budget", "error": None, "now_us": 2_000_000, "events": [[0, "pin", 2, 1]]}
CRASHED = {**STILL, "status": "error"}


def steps_of(item):
    result = check_traces([{"id": "x", **item}])["x"]
    return [(r["kind"], r["ok"], r["step"]) for r in result["results"]]


def test_a_failed_expectation_names_the_step_it_belongs_to():
    expect = [{**TOGGLE, "step": 4}, {**TOGGLE, "step": 2}]
    # The lesson tests know no page: the step the expectation names.
    assert steps_of({"expect": expect, "run": STILL}) == [("toggle", False, 4), ("toggle", False, 2)]
    # On a page with 5 steps, the same; on a shorter page the named step it lacks is its last one.
    assert [s for *_, s in steps_of({"expect": expect, "run": STILL, "steps": 5})] == [4, 2]
    assert [s for *_, s in steps_of({"expect": expect, "run": STILL, "steps": 3})] == [3, 2]


def test_an_expectation_naming_no_step_belongs_to_a_step_by_order():
    expect = [TOGGLE, TOGGLE, TOGGLE]
    assert [s for *_, s in steps_of({"expect": expect, "run": STILL})] == [None, None, None]
    assert [s for *_, s in steps_of({"expect": expect, "run": STILL, "steps": 2})] == [1, 2, 2]
    # A page without steps has no hint to give.
    assert [s for *_, s in steps_of({"expect": expect, "run": STILL, "steps": 0})] == [None, None, None]


def test_a_crash_is_explained_by_the_error_not_by_a_step():
    assert steps_of({"expect": [{**TOGGLE, "step": 1}], "run": CRASHED, "steps": 3})[0] == (
        "program_error",
        False,
        None,
    )


@pytest.mark.django_db
def test_every_bundled_lesson_names_steps_its_demo_page_has():
    from courses import demo

    pages = {
        lesson["program"]: sum(1 for block in lesson["body"] if block["type"] == "step")
        for lesson in _demo_lessons(demo)
        if lesson.get("program")
    }
    for slug in SLUGS:
        for exp in lesson_spec(slug)["expect"]:
            if "step" in exp:
                assert isinstance(exp["step"], int) and exp["step"] >= 1, (slug, exp)
                assert exp["step"] <= pages[slug], (slug, exp)  # the demo's lesson page has that step
        if slug in pages:  # every lesson the demo has a page for names its steps
            assert all("step" in exp for exp in lesson_spec(slug)["expect"]), slug


def _demo_lessons(demo):
    """The demo's lesson data as the seed writes it (its pictures are made in the test database)."""
    return [lesson for name in dir(demo) if name.endswith("_lessons") for lesson in getattr(demo, name)()]


def test_a_broken_bundled_program_fails_with_the_step_of_its_lesson():
    slug, files, code, _at = BROKEN["blink-slow"]
    result = run_in_node([check_job(slug, files, id="slow")])["slow"]
    failed = [r for r in result["check"]["results"] if not r["ok"]]
    assert failed[0]["code"] == code and failed[0]["step"] == lesson_spec("blink")["expect"][0]["step"] == 4


# ---------------------------------------------------------------- the page


def data_of(response):
    html = response.content.decode()
    marker = '<script id="workbench-data" type="application/json">'
    start = html.index(marker) + len(marker)
    return json.loads(html[start : html.index("</script>", start)])


LONG = "把灯接好。" * 80


@pytest.mark.django_db
def test_the_page_hands_its_steps_words_to_the_check_and_never_their_code(make_course, lesson_factory):
    from tests.courses.conftest import BLINK_CODE

    lesson = lesson_factory(make_course(), "点亮 LED", program="blink", blocks=6)
    body = list(lesson.body.raw_data)
    body[5]["value"] = {
        **body[0]["value"],
        "heading": "让灯一直闪",
        "text": f"<p>试着把 <code>500</code> 改成 100。{LONG}</p>",
    }
    lesson.body = body
    lesson.save_revision().publish()
    data = data_of(Client().get(lesson.url))
    steps = data["steps"]
    assert [s["number"] for s in steps] == [1, 2]  # numbered as the page numbers its steps
    assert steps[0] == {"number": 1, "heading": "连接电路", "text": "把 LED 的长脚接到 GPIO2。"}
    assert steps[1]["heading"] == "让灯一直闪" and steps[1]["text"].startswith("试着把 500 改成 100。")
    assert len(steps[1]["text"]) <= 200 and steps[1]["text"].endswith("…")
    # The steps' code blocks (and the lesson's program) are never part of a hint.
    blob = json.dumps(steps, ensure_ascii=False)
    program = (
        BLINK_CODE.splitlines() + (LESSONS / "blink" / "main.py").read_text(encoding="utf-8").splitlines()
    )
    assert all(line.strip() not in blob for line in program if len(line.strip()) > 8)
    assert data["strings"]["checks"]["hint_from_step"] == "提示（第 {number} 步“{heading}”）："
    assert 'id="step-2"' in Client().get(lesson.url).content.decode()  # the hint's link goes there

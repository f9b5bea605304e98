import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_page_in_chinese_and_switch_to_english(live_server, demo_site, page, phone_page, screenshot):
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "创客实践室平台"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    screenshot(page, "home-desktop")
    page.click("footer a[hreflang=en]")
    page.wait_for_url("**/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "MakerRoom"

    phone_page.goto(live_server.url + "/")
    screenshot(phone_page, "home-phone")
    # Nothing overflows sideways on a phone.
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_search_for_a_chinese_word(live_server, demo_site, page):
    page.goto(live_server.url + "/")
    page.fill("#hero-q", "资助")
    page.press("#hero-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    assert "关于创客实践室" in page.locator(".search-results").inner_text()


# Every line number's top must match its line's top (±1 px), for lines holding Chinese comments too.
CODE_ALIGNMENT = """() => [...document.querySelectorAll('.code-block')].map((block) => {
  const numbers = block.querySelector('td.linenos pre');
  const code = block.querySelector('td.code pre');
  const tops = (pre) => {
    const result = [];
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    let atLineStart = true;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.data.length; i++) {
        if (node.data[i] === '\\n') { atLineStart = true; continue; }
        if (atLineStart) {
          const range = document.createRange();
          range.setStart(node, i); range.setEnd(node, i + 1);
          result.push(range.getBoundingClientRect().top);
          atLineStart = false;
        }
      }
    }
    return result;
  };
  return { numbers: tops(numbers), code: tops(code), text: code.innerText };
})"""


def _lesson_with_chinese_comments():
    """A demo lesson whose code blocks hold a comment in Chinese (e.g. `# 舵机转到 90 度`)."""
    import json
    import re

    from courses.models import LessonPage

    comment = re.compile(r"#[^\n]*[\u4e00-\u9fff]")
    for lesson in LessonPage.objects.live().specific():
        if comment.search(json.dumps(list(lesson.body.raw_data), ensure_ascii=False)):
            return lesson
    raise AssertionError("the demo has no lesson whose code has Chinese comments")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_code_line_numbers_stay_beside_their_lines(
    live_server, demo_site, page, phone_page, screenshot, viewport
):
    browser_page = page if viewport == "desktop" else phone_page
    lesson = _lesson_with_chinese_comments()
    browser_page.goto(live_server.url + lesson.url)
    blocks = browser_page.evaluate(CODE_ALIGNMENT)
    assert blocks
    for block in blocks:
        # Blank lines have no glyph to measure in the code column; compare the lines that have text.
        lines = block["text"].rstrip("\n").split("\n")
        numbered = [top for top, line in zip(block["numbers"], lines, strict=False) if line.strip()]
        assert len(block["numbers"]) == len(lines), "every line has its number, the last one too"
        assert len(numbered) == len(block["code"])
        for n, (number_top, code_top) in enumerate(zip(numbered, block["code"], strict=True)):
            assert abs(number_top - code_top) <= 1.5, (n, number_top, code_top)
    from tests.e2e.conftest import SCREENSHOTS

    browser_page.locator(".code-block").first.screenshot(path=str(SCREENSHOTS / f"code-block-{viewport}.png"))


def test_code_blocks_scroll_by_keyboard(live_server, demo_site, page):
    lesson = _lesson_with_chinese_comments()
    page.goto(live_server.url + lesson.url)
    region = page.locator(".code-block .code-scroll").first
    assert region.get_attribute("tabindex") == "0"
    assert region.get_attribute("aria-label").startswith("代码：")
    region.focus()
    assert page.evaluate("document.activeElement.classList.contains('code-scroll')")


def test_each_role_lands_on_its_start_page_and_finds_its_work(live_server, demo_site, browser, screenshot):
    """Logging in from the home page's header: each demo role lands on its own page, header links lead on."""
    from django.conf import settings

    from tests.e2e.conftest import DESKTOP

    for username, start, work_link in [
        ("student", "/classes/my/", "我的创客节"),
        ("labstaff", "/admin/kits/dashboard/", None),
        ("judge", "/judging/score/", "评审"),
        ("teacher", "/classes/", "管理后台"),
    ]:
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        page = context.new_page()
        page.goto(live_server.url + "/")
        page.click("header >> text=登录")
        page.fill("#id_username", username)
        page.fill("#id_password", settings.DEMO_PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_url(f"**{start}")
        if work_link:
            assert page.locator(f"header .main-nav >> text={work_link}").count() == 1, username
        if username == "student":
            screenshot(page, "student-start-page")
            # A page the student may not open: the site's own 403, in Chinese, with a way back.
            page.goto(live_server.url + "/judging/score/")
            assert "你没有权限打开这个页面" in page.locator("main").inner_text()
            screenshot(page, "error-403")
            page.click("main >> text=返回我的工作台")
            page.wait_for_url("**/classes/my/")
        context.close()


def test_the_english_site_serves_untranslated_pages(live_server, demo_site, page):
    page.goto(live_server.url + "/en/")
    page.click("header .main-nav >> text=Courses")
    page.wait_for_url("**/en/courses/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "not been translated yet" in page.locator(".translation-note").inner_text()
    from tests.e2e.conftest import SCREENSHOTS

    page.screenshot(path=str(SCREENSHOTS / "english-untranslated-course-list.png"))
    # The course links stay in English.
    first_course = page.locator("main a[href^='/en/courses/']").first
    first_course.click()
    page.wait_for_load_state()
    assert page.url.startswith(live_server.url + "/en/courses/")

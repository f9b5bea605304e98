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

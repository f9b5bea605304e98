"""/en/ is a site, not a stub: an untranslated page is served in Chinese with English menus and a note,
links stay under /en/, and search under /en/ finds Chinese and English words."""

import io
import re

import pytest
from makerroom.home.models import ContentPage
from wagtail.models import Locale

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_home(home_page):
    english = home_page.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = "MakerRoom"
    english.intro = "Courses and the Student Maker Festival for Shenzhen's school maker rooms."
    english.save_revision().publish()
    return english


@pytest.fixture
def chinese_pages(home_page):
    """Two Chinese pages with no English translation; "about" links to "grants" in its text."""
    grants = ContentPage(
        title="资助标准", slug="grants", summary="每所学校的创客实践室最高可获得 100 万元资助。"
    )
    home_page.add_child(instance=grants)
    grants.save_revision().publish()
    about = ContentPage(
        title="关于创客实践室",
        slug="about",
        summary="深圳为什么在每所学校建设创客实践室，配备 ESP32 开发板。",
        body=[("paragraph", f'<p>详见<a linktype="page" id="{grants.pk}">资助标准</a>。</p>')],
    )
    home_page.add_child(instance=about)
    about.save_revision().publish()
    return {"about": about, "grants": grants}


def test_an_untranslated_page_is_served_in_chinese_with_english_menus_and_a_note(
    client, english_home, chinese_pages
):
    response = client.get("/en/about/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "关于创客实践室" in html  # the Chinese page itself
    assert "This page has not been translated yet" in html
    assert '<main id="main" class="site-main" tabindex="-1" lang="zh-hans">' in html
    assert ">Search<" in html  # the interface is English


def test_links_of_an_untranslated_page_stay_in_english(client, english_home, chinese_pages):
    html = client.get("/en/about/").content.decode()
    assert 'href="/en/grants/"' in html  # the link in the page's text
    assert 'href="/grants/"' not in html
    assert 'href="/en/search/"' in html
    # The switcher still offers the Chinese page, and English is this very page.
    assert 'href="/about/" hreflang="zh-hans"' in html
    assert 'href="/en/about/" hreflang="en"' in html
    assert client.get("/en/grants/").status_code == 200


def test_the_chinese_site_is_unchanged(client, english_home, chinese_pages):
    html = client.get("/about/").content.decode()
    assert 'href="/grants/"' in html
    assert "This page has not been translated yet" not in html and "本页尚未翻译" not in html
    assert 'href="/en/about/" hreflang="en"' in html


def test_a_translated_page_is_served_in_its_language(client, english_home, chinese_pages):
    about_en = chinese_pages["about"].copy_for_translation(Locale.objects.get(language_code="en"))
    about_en.title = "About the maker rooms"
    about_en.save_revision().publish()
    html = client.get("/en/about/").content.decode()
    assert "About the maker rooms" in html
    assert "has not been translated" not in html
    assert 'href="/en/grants/"' in html  # its link to an untranslated page stays in English too


def test_a_missing_page_is_still_404_under_en(client, english_home):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_search_under_en_finds_chinese_and_english_words(client, english_home, chinese_pages):
    html = client.get("/en/search/", {"q": "资助"}).content.decode()
    assert "资助标准" in html and 'href="/en/grants/"' in html
    html = client.get("/en/search/", {"q": "ESP32"}).content.decode()
    assert "关于创客实践室" in html and 'href="/en/about/"' in html
    html = client.get("/en/search/", {"q": "Festival"}).content.decode()
    assert "MakerRoom" in html and 'href="/en/"' in html


def test_search_shows_a_page_once_in_the_visitors_language(client, english_home, chinese_pages):
    grants_en = chinese_pages["grants"].copy_for_translation(Locale.objects.get(language_code="en"))
    grants_en.title = "Grants"
    grants_en.summary = "Up to 1,000,000 CNY per school."
    grants_en.save_revision().publish()
    html = client.get("/en/search/", {"q": "资助"}).content.decode()
    results = html.split('<ol class="search-results">')[1].split("</ol>")[0]
    titles = re.findall(r"<h2><a [^>]*>([^<]+)</a></h2>", results)  # snippets may quote other pages' text
    assert "Grants" in titles and "资助标准" not in titles


def test_the_demo_site_in_english_has_courses_and_festival(client):
    """Before: /en/courses/ and /en/festival/ were 404 and the English menu linked into the Chinese site."""
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    header = client.get("/en/").content.decode().split('<nav class="main-nav"')[1].split("</nav>")[0]
    assert 'href="/en/courses/"' in header and 'href="/en/festival/"' in header
    for path in ("/en/courses/", "/en/festival/", "/en/about/"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert '<html lang="en">' in html
        links = [chunk.split('"', 1)[0] for chunk in html.split('href="')[1:]]
        chinese_site_links = [
            url
            for url in links
            if url.startswith("/") and not url.startswith(("/en/", "/static/", "/media/", "/admin/", "//"))
        ]
        # Only the language switcher's link to the Chinese page leaves the English site.
        assert len(chinese_site_links) <= 1, (path, chinese_site_links)

import pytest
from makerroom.home.models import HomePage
from wagtail.models import Locale

pytestmark = pytest.mark.django_db


def test_chinese_home_page_is_the_default(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert home_page.title in html
    assert "搜索" in html  # our own strings are translated
    assert home_page.locale.language_code == "zh-hans"


def test_english_home_page_and_language_switch(client, home_page):
    english = home_page.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = "MakerRoom"
    english.save_revision().publish()

    response = client.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>MakerRoom</h1>" in html
    assert ">Search<" in html
    # The Chinese page links to its English translation and back.
    zh_html = client.get("/").content.decode()
    assert 'href="/en/" hreflang="en"' in zh_html
    assert 'href="/" hreflang="zh-hans"' in html


def test_language_switcher_offers_the_same_page_in_the_other_language(client, home_page):
    from makerroom.home.models import ContentPage

    page = ContentPage(title="关于", slug="about")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    english = home_page.copy_for_translation(Locale.objects.get(language_code="en"))
    english.save_revision().publish()
    html = client.get("/about/").content.decode()
    # No English "about" page yet: /en/about/ serves the Chinese one with English menus, not a 404.
    assert 'href="/en/about/" hreflang="en"' in html
    assert client.get("/en/about/").status_code == 200


def test_only_the_zh_hans_home_exists_after_migrations():
    assert Locale.get_default().language_code == "zh-hans"
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"zh-hans", "en"}
    assert HomePage.objects.count() == 1


def test_404_page_is_translated(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    response = client.get("/en/no-such-page/")
    assert "Page not found" in response.content.decode()


def test_500_page_is_self_contained():
    from django.template.loader import get_template

    html = get_template("500.html").render({})
    assert "服务器出错了" in html and "Server error" in html


def test_login_page_for_students(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_first_password_must_be_changed(client, make_user):
    make_user("xiaoming", password="first-pass-123", must_change_password=True)
    response = client.post("/accounts/login/", {"username": "xiaoming", "password": "first-pass-123"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/"
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "first-pass-123",
            "new_password1": "my-own-secret-9",
            "new_password2": "my-own-secret-9",
        },
    )
    assert response.status_code == 302
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(username="xiaoming").must_change_password is False


@pytest.mark.parametrize(
    "path", ["/", "/en/", "/classes/my/", "/search/?q=舵机", "/admin/", "/no-such-page/"]
)
def test_a_first_password_must_be_changed_before_any_page(client, make_user, path):
    student = make_user("xiaohong", must_change_password=True)
    client.force_login(student)
    response = client.get(path)
    assert response.status_code == 302
    # in the language of the page asked for
    expected = "/en/accounts/password/" if path.startswith("/en/") else "/accounts/password/"
    assert response["Location"] == expected


def test_with_a_first_password_the_change_form_logout_and_language_still_work(client, make_user):
    student = make_user("xiaohong", must_change_password=True)
    client.force_login(student)
    assert client.get("/accounts/password/").status_code == 200
    assert client.get("/en/accounts/password/").status_code == 200
    assert (
        client.post("/i18n/setlang/", {"language": "en", "next": "/en/accounts/password/"}).status_code == 302
    )
    assert client.post("/accounts/logout/").status_code == 302
    # logged out, the home page is reachable again
    assert client.get("/").status_code == 200


def test_own_password_users_are_not_redirected(client, make_user):
    client.force_login(make_user("teacher-wang"))
    assert client.get("/").status_code == 200

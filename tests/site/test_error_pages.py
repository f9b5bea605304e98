"""The site's own 403, 404, 400 and 500 pages: Chinese first, never a bare English "403 Forbidden",
always with a way back."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import path
from makerroom.core.roles import Role
from makerroom.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db


def _refuse(request):
    raise PermissionDenied


def _refuse_with_reason(request):
    raise PermissionDenied("只有学生账号可以报名参赛。")


def _crash(request):
    raise RuntimeError("a bug")


# The site's URLs plus two views that refuse, to see what a refusal anywhere looks like.
urlpatterns = [
    path("test-refuse/", _refuse),
    path("test-refuse-reason/", _refuse_with_reason),
    path("test-crash/", _crash),
    *site_urlpatterns,
]


@pytest.mark.urls(__name__)
def test_permission_denied_in_a_view_shows_the_chinese_403_page(client, make_user):
    response = client.get("/test-refuse/")
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "你没有权限打开这个页面" in html
    assert "Forbidden" not in html
    assert 'class="site-header"' in html  # the site's own page, header and all
    assert 'href="/"' in html and "返回首页" in html
    assert "/accounts/login/?next=/test-refuse/" in html  # anonymous: a way to log in and come back


@pytest.mark.urls(__name__)
def test_403_says_why_and_leads_a_logged_in_user_to_their_start_page(client, make_user):
    client.force_login(make_user("li", role=Role.TEACHER))
    html = client.get("/test-refuse-reason/").content.decode()
    assert "只有学生账号可以报名参赛。" in html
    assert "返回我的工作台" in html and 'href="/classes/"' in html
    assert "/accounts/login/" not in html.split('class="error-ways-back"')[1]


def test_a_real_view_refusing_a_student_shows_the_403_page(client, make_user):
    """The judging page refuses anyone who is not a judge (festival.views.judge_home)."""
    client.force_login(make_user("pupil", role=Role.STUDENT))
    response = client.get("/judging/score/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "你没有权限打开这个页面" in html and "返回我的工作台" in html
    assert "403 Forbidden" not in html


def test_403_in_english_under_en(client, make_user):
    client.force_login(make_user("pupil", role=Role.STUDENT))
    html = client.get("/en/judging/score/").content.decode()
    assert '<html lang="en">' in html and "You may not open this page" in html
    assert 'href="/en/classes/my/"' in html  # the way back stays in English


def test_404_page_is_the_sites_own_with_a_way_back(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and 'class="site-header"' in html
    assert "返回首页" in html and 'href="/search/"' in html
    en = client.get("/en/no-such-page/").content.decode()
    assert "Page not found" in en and 'href="/en/"' in en


def test_csrf_failure_is_explained_in_chinese(client, make_user):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "表单已过期" in html and "CSRF verification failed" not in html


def test_500_page_is_chinese_self_contained_and_leads_home(client):
    from django.template.loader import get_template

    html = get_template("500.html").render({})
    assert '<html lang="zh-hans">' in html
    assert "服务器出错了" in html and 'href="/"' in html
    assert "{%" not in html and "static" not in html  # renders with no request, database or static files


@pytest.mark.urls(__name__)
def test_a_crashing_view_serves_the_500_page():
    from django.test import Client

    response = Client(raise_request_exception=False).get("/test-crash/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器出错了" in html and "返回首页" in html


def test_400_page_is_chinese(rf):
    from django.views.defaults import bad_request

    response = bad_request(rf.get("/"), Exception())
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()

"""The header leads every role to its work, and login lands each role on its own start page."""

import pytest
from makerroom.core.roles import Role

from tests.factories import make_school

pytestmark = pytest.mark.django_db

PASSWORD = "pass-w0rd-123"


@pytest.fixture
def school():
    return make_school("SZ-9001", "深圳市测试学校")


def _header(client):
    html = client.get("/").content.decode()
    return html[
        html.index('<nav class="main-nav"') : html.index("</nav>", html.index('<nav class="main-nav"'))
    ]


@pytest.mark.parametrize(
    "role, offered, not_offered",
    [
        (Role.TEACHER, ["管理后台", "我的创客节"], ["评审"]),
        (Role.REVIEWER, ["管理后台"], ["评审", "我的创客节"]),
        (Role.LAB_STAFF, ["管理后台"], ["评审", "我的创客节"]),
        (Role.ORGANISER, ["管理后台"], ["评审", "我的创客节"]),
        (Role.CITY_COORDINATOR, ["管理后台"], ["评审", "我的创客节"]),
        (Role.JUDGE, ["评审"], ["管理后台", "我的创客节"]),
        (Role.STUDENT, ["我的创客节"], ["管理后台", "评审"]),
    ],
)
def test_the_header_offers_each_role_its_work(client, make_user, school, role, offered, not_offered):
    client.force_login(make_user("someone", role=role, school=school))
    header = _header(client)
    for label in offered:
        assert f">{label}</a>" in header, (role, label)
    for label in not_offered:
        assert f">{label}</a>" not in header, (role, label)


def test_anonymous_visitors_get_no_work_links_and_a_plain_login_link(client):
    header = _header(client)
    for label in ("管理后台", "评审", "我的创客节"):
        assert label not in header
    # From the home page the login link carries no ?next=/: the role's start page follows login.
    assert 'href="/accounts/login/"' in header


def test_the_header_links_lead_somewhere_for_their_role(client, make_user, school, home_page):
    """No link of the header ends on a 403 or 404 for the role it is shown to (in a school that has
    its maker room, as every school of the programme does)."""
    from kits.models import MakerRoom

    MakerRoom.objects.create(school=school)
    for n, role in enumerate(Role):
        user = make_user(f"user{n}", role=role, school=school)
        if role == Role.JUDGE:
            from festival.models import Judge  # a judge is a judge of an edition
            from tests.festival.conftest import build_edition

            Judge.objects.create(edition=build_edition(home_page), user=user)
        client.force_login(user)
        header = _header(client)
        for chunk in header.split('href="')[1:]:
            url = chunk.split('"', 1)[0]
            if url.startswith("/") and "logout" not in url:
                status = client.get(url).status_code
                assert status in (200, 302), (role, url, status)


@pytest.mark.parametrize(
    "role, start",
    [
        (Role.STUDENT, "/classes/my/"),
        (Role.TEACHER, "/classes/"),
        (Role.LAB_STAFF, "/admin/kits/dashboard/"),
        (Role.CITY_COORDINATOR, "/admin/kits/city/"),
        (Role.JUDGE, "/judging/score/"),
        (Role.ORGANISER, "/judging/entries/"),
        (Role.REVIEWER, "/admin/"),
    ],
)
def test_login_lands_each_role_on_its_start_page(client, make_user, school, role, start):
    make_user("someone", role=role, school=school)
    response = client.post("/accounts/login/", {"username": "someone", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == start


def test_login_from_the_home_page_still_lands_on_the_start_page(client, make_user, school):
    make_user("pupil", role=Role.STUDENT, school=school)
    response = client.post(
        "/accounts/login/?next=/", {"username": "pupil", "password": PASSWORD, "next": "/"}
    )
    assert response["Location"] == "/classes/my/"


def test_login_keeps_a_next_page_and_the_language(client, make_user, school):
    make_user("pupil", role=Role.STUDENT, school=school)
    response = client.post("/accounts/login/", {"username": "pupil", "password": PASSWORD, "next": "/about/"})
    assert response["Location"] == "/about/"
    client.logout()
    response = client.post("/en/accounts/login/", {"username": "pupil", "password": PASSWORD})
    assert response["Location"] == "/en/classes/my/"


def test_superuser_lands_in_the_admin(client, django_user_model):
    django_user_model.objects.create_superuser("root", password=PASSWORD)
    response = client.post("/accounts/login/", {"username": "root", "password": PASSWORD})
    assert response["Location"] == "/admin/"


def test_the_wagtail_userbar_loads_only_on_wagtail_pages(client, make_user, school):
    """Its scripts (~1 MB with the accessibility checker) edit nothing on the site's own views."""
    client.force_login(make_user("li", role=Role.TEACHER, school=school))
    assert "wagtail-userbar" in client.get("/").content.decode()
    for path in ("/classes/", "/search/?q=舵机", "/classes/my/"):
        assert "wagtail-userbar" not in client.get(path).content.decode(), path
